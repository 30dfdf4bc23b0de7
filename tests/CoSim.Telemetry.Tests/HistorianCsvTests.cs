using System.Globalization;
using CoSim.Core;
using CoSim.Telemetry.Replay;
using CoSim.Telemetry.Signals;

namespace CoSim.Telemetry.Tests;

public class HistorianCsvTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("cosim-historian-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    private string Write(string name, IEnumerable<string> lines)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    [Test]
    public void Load_SkabFile_DetectsSemicolonPointAndLocalTimeAndMapsFirstRecordToZero()
    {
        var path = Skab.File("valve1/0.csv");
        var reference = Skab.Read(path);

        var data = HistorianCsv.Load(path);

        data.Delimiter.ShouldBe(';');
        data.DecimalSeparator.ShouldBe('.');
        data.TimeFormat.ShouldBe(TimeFormat.DateTime);
        data.Columns.ShouldContain("Volume Flow RateRMS");
        data.RowCount.ShouldBe(reference.Times.Length);
        data.WallTimeZero.ShouldBe(new DateTimeOffset(2020, 3, 9, 10, 14, 33, TimeSpan.Zero));
        for (var r = 0; r < data.RowCount; r++)
            data.Times[r].ShouldBe((reference.Times[r] - reference.Times[0]).TotalSeconds);
        var steps = data.Times.Zip(data.Times.Skip(1), (a, b) => b - a).Distinct().Order().ToArray();
        steps.ShouldBe([1.0, 2.0]); // the irregular 1-2 s sampling, kept as recorded
        var flow = data.ColumnIndex("Volume Flow RateRMS");
        var flowRef = Array.IndexOf(reference.Header, "Volume Flow RateRMS") - 1;
        for (var r = 0; r < data.RowCount; r++) data.Values[flow][r].ShouldBe(reference.Rows[r][flowRef]);
        data.Lines[0].ShouldBe(2);
    }

    [Test]
    public void Load_ZoneGiven_LocalTimesAreReadInThatZone()
    {
        var path = Skab.Like(_dir);
        var moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow"); // tzdata works with InvariantGlobalization

        var data = HistorianCsv.Load(path, new HistorianCsvOptions { Zone = moscow, TimeFormat = TimeFormat.DateTime });

        data.WallTimeZero.ShouldBe(new DateTimeOffset(2020, 3, 9, 7, 14, 33, TimeSpan.Zero)); // UTC+3
        data.Times[1].ShouldBe(1.0);
    }

    /// <summary>
    /// Local times across both daylight-saving switches of Berlin, with and without fractions, 'T' or a space: each is the
    /// instant the zone's own rules give (checked against TimeZoneInfo directly); the skipped hour is refused with its line.
    /// </summary>
    [Test]
    public void Load_LocalTimesAcrossDaylightSaving_AreTheZonesInstants()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        string[] stamps = ["2026-03-29 01:59:59", "2026-03-29T03:00:00.5", "2026-03-29 03:00:01.1234567", "2026-10-25 01:59:59.25",
                           "2026-10-25 02:30:00", "2026-10-25T03:00:00", "2026-12-31 23:59:59.9"];
        var dir = Directory.CreateTempSubdirectory("cosim-dst-").FullName;
        try
        {
            var path = Path.Combine(dir, "dst.csv");
            File.WriteAllLines(path, ["time;value", .. stamps.Select((t, i) => $"{t};{i}")]);

            var data = HistorianCsv.Load(path, new HistorianCsvOptions { Zone = berlin, TimeFormat = TimeFormat.DateTime });

            DateTimeOffset Instant(string text)
            {
                var local = DateTime.Parse(text, CultureInfo.InvariantCulture);
                return new DateTimeOffset(local.Ticks - berlin.GetUtcOffset(local).Ticks, TimeSpan.Zero); // ambiguous: standard time
            }
            data.WallTimeZero.ShouldBe(Instant(stamps[0]));
            for (var i = 0; i < stamps.Length; i++)
                data.Times[i].ShouldBe((Instant(stamps[i]) - Instant(stamps[0])).TotalSeconds, 1e-9, stamps[i]);
            data.Times[1].ShouldBe(1.5, 1e-9, "01:59:59 CET to 03:00:00.5 CEST is 1.5 s");

            File.AppendAllText(path, "2026-03-29 02:30:00;9\n");
            var skipped = Should.Throw<InputException>(() => HistorianCsv.Load(path, new HistorianCsvOptions { Zone = berlin, TimeFormat = TimeFormat.DateTime }));
            skipped.Message.ShouldContain($"{path}:9:1: time column 'time': '2026-03-29 02:30:00' does not exist in zone Europe/Berlin (clocks skipped it)");
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Test]
    public void Load_TimeZeroGiven_ThatWallTimeIsSimulationTimeZero()
    {
        var path = Skab.Like(_dir);
        var reference = Skab.Read(path);
        var zero = reference.Times[0].AddSeconds(100);

        var data = HistorianCsv.Load(path, new HistorianCsvOptions { TimeZero = zero.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) });

        data.Times[0].ShouldBe(-100.0);
        var at = Array.IndexOf(reference.Times, zero);
        at.ShouldBeGreaterThan(0);
        data.Times[at].ShouldBe(0.0);
    }

    [Test]
    public void Load_DecimalCommaIsoWithZoneAndEpochMilliseconds_GiveTheSameTimesAndValues()
    {
        var path = Skab.Like(_dir);
        var reference = Skab.Read(path);
        var rows = Enumerable.Range(0, 50).ToArray();
        var comma = Write("comma.csv", new[] { "Zeit;Strom A;Fluss" }
            .Concat(rows.Select(r => $"{reference.Times[r]:yyyy-MM-dd'T'HH:mm:ss}+03:00;{reference.Rows[r][2].ToString(CultureInfo.InvariantCulture).Replace('.', ',')};{reference.Rows[r][7].ToString(CultureInfo.InvariantCulture).Replace('.', ',')}")));
        var epoch = Write("epoch.csv", new[] { "t,Strom A,Fluss" }
            .Concat(rows.Select(r => $"{new DateTimeOffset(reference.Times[r], TimeSpan.FromHours(3)).ToUnixTimeMilliseconds()},{reference.Rows[r][2].ToString(CultureInfo.InvariantCulture)},{reference.Rows[r][7].ToString(CultureInfo.InvariantCulture)}")));

        var a = HistorianCsv.Load(comma);
        var b = HistorianCsv.Load(epoch);

        a.Delimiter.ShouldBe(';');
        a.DecimalSeparator.ShouldBe(',');
        b.TimeFormat.ShouldBe(TimeFormat.EpochMilliseconds);
        a.WallTimeZero.ShouldBe(new DateTimeOffset(reference.Times[0], TimeSpan.FromHours(3)));
        b.WallTimeZero.ShouldBe(a.WallTimeZero);
        a.Times.ShouldBe(b.Times);
        a.Values[0].ShouldBe(rows.Select(r => reference.Rows[r][2]).ToArray());
        b.Values[1].ShouldBe(rows.Select(r => reference.Rows[r][7]).ToArray());
    }

    [Test]
    public void Load_MalformedCell_ErrorNamesFileLineAndColumn()
    {
        var lines = File.ReadAllLines(Skab.Like(_dir));
        var cells = lines[9].Split(';');
        cells[3] = "n/a"; // Current
        lines[9] = string.Join(';', cells);
        var path = Write("bad.csv", lines);
        var column = string.Join(';', cells.Take(3)).Length + 2;

        var e = Should.Throw<InputException>(() => HistorianCsv.Load(path));

        e.Message.ShouldStartWith($"{path}:10:{column}: column 'Current': 'n/a' is not a number");
    }

    [Test]
    public void Load_MalformedRowsSkipped_AreCountedAndTheRestIsRead()
    {
        var lines = File.ReadAllLines(Skab.Like(_dir));
        lines[5] = lines[5][..lines[5].LastIndexOf(';')]; // a field missing
        lines[20] = "2020-03-09 99:00:00" + lines[20][19..]; // an unreadable time
        var path = Write("bad.csv", lines);

        Should.Throw<InputException>(() => HistorianCsv.Load(path)).Message.ShouldContain($"{path}:6:");
        var data = HistorianCsv.Load(path, new HistorianCsvOptions { Malformed = MalformedRows.Skip });

        data.SkippedRows.ShouldBe(2);
        data.RowCount.ShouldBe(lines.Length - 3);
        data.SkipReasons[0].ShouldContain("expected 11 fields (as the header), found 10");
        data.SkipReasons[1].ShouldContain($"{path}:21:1: time column 'datetime'");
    }

    [Test]
    public void Load_TimeGoesBack_ErrorNamesTheLine()
    {
        var lines = File.ReadAllLines(Skab.Like(_dir)).Take(10).ToArray();
        (lines[4], lines[5]) = (lines[5], lines[4]);
        var path = Write("order.csv", lines);

        Should.Throw<InputException>(() => HistorianCsv.Load(path)).Message.ShouldStartWith($"{path}:6:1: time '");
    }

    [Test]
    public void Buffer_SkabGapOverAMinute_EachGapPolicyGivesItsValue()
    {
        var path = Skab.Like(_dir, gapAfterRow: 600);
        var reference = Skab.Read(path);
        var data = HistorianCsv.Load(path);
        var gapAt = Enumerable.Range(0, data.RowCount - 1).Single(i => data.Times[i + 1] - data.Times[i] > 60);
        var (t0, t1) = (data.Times[gapAt], data.Times[gapAt + 1]);
        (t1 - t0).ShouldBe((reference.Times[gapAt + 1] - reference.Times[gapAt]).TotalSeconds);
        var column = "Volume Flow RateRMS";
        var v0 = reference.Rows[gapAt][7];
        var v1 = reference.Rows[gapAt + 1][7];
        var t = t0 + 0.25 * (t1 - t0);

        SignalBuffer Buffer(GapPolicy gap) => data.Buffer(column, new SignalPolicy(Interpolation.Linear, gap, 5));

        Buffer(GapPolicy.Hold).Sample(t).ShouldBe(v0);
        Buffer(GapPolicy.Interpolate).Sample(t).ShouldBe(v0 + 0.25 * (v1 - v0), 1e-12);
        Buffer(GapPolicy.Missing).Sample(t).ShouldBe(double.NaN);
        Buffer(GapPolicy.Missing).Sample(t1).ShouldBe(v1); // the record after the gap is data again
        var e = Should.Throw<SignalGapException>(() => Buffer(GapPolicy.Fail).Sample(t));
        e.Message.ShouldStartWith($"{path}:{data.Lines[gapAt + 1]}: signal '{column}': no record for {t1 - t0} s");
        // Within the maximum gap (the 1-2 s steps) nothing changes: linear between the records.
        var i = gapAt - 3;
        var mid = 0.5 * (data.Times[i] + data.Times[i + 1]);
        Buffer(GapPolicy.Fail).Sample(mid).ShouldBe(0.5 * (reference.Rows[i][7] + reference.Rows[i + 1][7]), 1e-12);
    }

    [Test]
    public void Buffer_SkabTwoSecondStep_LinearAndHoldAtChosenTimes()
    {
        var path = Skab.Like(_dir);
        var reference = Skab.Read(path);
        var data = HistorianCsv.Load(path);
        var i = Enumerable.Range(0, data.RowCount - 1).First(r => data.Times[r + 1] - data.Times[r] == 2);
        var linear = data.Buffer("Current", new SignalPolicy(Interpolation.Linear));
        var hold = data.Buffer("Current", new SignalPolicy(Interpolation.Hold));
        var (c0, c1) = (reference.Rows[i][2], reference.Rows[i + 1][2]);

        linear.Sample(data.Times[i] + 0.5).ShouldBe(c0 + 0.25 * (c1 - c0), 1e-12);
        linear.Sample(data.Times[i] + 1.5).ShouldBe(c0 + 0.75 * (c1 - c0), 1e-12);
        hold.Sample(data.Times[i] + 1.5).ShouldBe(c0);
        hold.Sample(data.Times[i + 1]).ShouldBe(c1);
        linear.Sample(-10).ShouldBe(reference.Rows[0][2]); // before the first record: the first value
        linear.Sample(1e9).ShouldBe(reference.Rows[^1][2]); // after the last: the last value
    }

    /// <summary>
    /// A stray decimal comma in a file with '.' decimals (one voltage cell 210,193) is a malformed cell naming file, line and
    /// column, whether the separator is given or detected: never 210193 V. Skipped rows are counted like any malformed row.
    /// </summary>
    [Test]
    public void Load_StrayDecimalCommaInPointFile_IsAMalformedCellNeverAThousandsSeparator()
    {
        var lines = File.ReadAllLines(Skab.Like(_dir, rows: 50));
        var cells = lines[12].Split(';');
        cells[7] = "210,193"; // Voltage
        lines[12] = string.Join(';', cells);
        var path = Write("stray.csv", lines);
        var column = string.Join(';', cells.Take(7)).Length + 2;

        foreach (char? given in new char?[] { '.', null })
        {
            var e = Should.Throw<InputException>(() => HistorianCsv.Load(path, new HistorianCsvOptions { DecimalSeparator = given }));
            e.Message.ShouldStartWith($"{path}:13:{column}: column 'Voltage': '210,193' is not a number with decimal separator '.'");
            e.Message.ShouldEndWith("(to skip malformed rows and count them: --replay-bad-rows skip)");
        }
        var skipped = HistorianCsv.Load(path, new HistorianCsvOptions { Malformed = MalformedRows.Skip });
        skipped.SkippedRows.ShouldBe(1);
        skipped.Values[skipped.ColumnIndex("Voltage")].Max().ShouldBeLessThan(300);
    }

    /// <summary>A decimal-comma file whose first data rows hold only integers: the comma is found in the first row that writes a fraction.</summary>
    [Test]
    public void Load_DecimalCommaFileStartingWithIntegerRows_DetectsTheComma()
    {
        var path = Write("integers-first.csv", ["Zeit;Spannung;Strom", "2026-01-05 08:00:00;229;2", "2026-01-05 08:00:01;230;2", "2026-01-05 08:00:02;229,409;1,5", "2026-01-05 08:00:03;231,25;1"]);

        var data = HistorianCsv.Load(path);

        data.DecimalSeparator.ShouldBe(',');
        data.Values[0].ShouldBe([229, 230, 229.409, 231.25]);
        data.Values[1].ShouldBe([2, 2, 1.5, 1]);
    }

    /// <summary>A comma file with a stray point after the comma was detected: the message says where the separator was detected and how to set it.</summary>
    [Test]
    public void Load_StrayPointAfterDetectedComma_SaysWhereTheSeparatorWasDetected()
    {
        var path = Write("stray-point.csv", ["Zeit;Spannung", "2026-01-05 08:00:00;229", "2026-01-05 08:00:01;229,5", "2026-01-05 08:00:02;229.409"]);

        var e = Should.Throw<InputException>(() => HistorianCsv.Load(path));

        e.Message.ShouldContain($"{path}:4:21: column 'Spannung': '229.409' is not a number with decimal separator ',' (detected from line 3; --replay-decimal sets it)");
    }

    /// <summary>The default maximum gap is 10 x the median record interval: a 601 s hole in a 1 Hz signal is a gap (held), the 2 s steps are not.</summary>
    [Test]
    public void ForRecords_AutoMaxGap_IsTenMedianIntervalsAndFindsTheHole()
    {
        var data = HistorianCsv.Load(Skab.Like(_dir, rows: 300, gapAfterRow: 100, gapSeconds: 601));
        var policy = new SignalPolicy(MaxGap: SignalPolicy.AutoMaxGap);

        var resolved = policy.ForRecords(data.Buffer("Voltage", policy));
        var gaps = data.Buffer("Voltage", resolved).Gaps().ToList();

        resolved.MaxGap.ShouldBe(10.0);
        resolved.Gap.ShouldBe(GapPolicy.Hold);
        gaps.Count.ShouldBe(1);
        gaps[0].Seconds.ShouldBe(601.0);
        gaps[0].Line.ShouldBe(103); // the record after the gap: row 101 (0-based), line 103
        data.Buffer("Voltage", resolved).Sample(gaps[0].From + 300).ShouldBe(data.Values[data.ColumnIndex("Voltage")][100]);
    }
}
