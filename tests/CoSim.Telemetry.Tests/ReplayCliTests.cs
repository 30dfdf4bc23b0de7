using System.Globalization;
using System.Text.RegularExpressions;
using CoSim.TestSupport;

namespace CoSim.Telemetry.Tests;

/// <summary>Replay and shadow mode through the real cosim command line, on the Pump FMU and the SKAB files.</summary>
public class ReplayCliTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("cosim-replay-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    private static string Pump => ExampleFmus.Path(2, "Pump");

    [Test]
    public void Simulate_ReplayVoltage_InputFollowsTheFileInterpolatedAndConverted()
    {
        var path = Skab.Like(_dir);
        var reference = Skab.Read(path);
        var seconds = reference.Times.Select(t => (t - reference.Times[0]).TotalSeconds).ToArray();
        var volts = reference.Rows.Select(r => r[6]).ToArray();

        var r = CosimProcess.Run(_dir, "simulate", Pump, "--replay", path, "--replay-map", "Voltage[V]=voltage",
            "--stop", "60", "--step", "0.5", "--record", "voltage", "-o", "v.csv");
        var mv = CosimProcess.Run(_dir, "simulate", Pump, "--replay", path, "--replay-map", "Voltage[kV]=voltage", "--replay-interpolation", "Voltage=hold",
            "--stop", "60", "--step", "0.5", "--record", "voltage", "-o", "kv.csv");

        r.ExitCode.ShouldBe(0, r.ToString());
        mv.ExitCode.ShouldBe(0, mv.ToString());
        var linear = ResultCsv.Load(Path.Combine(_dir, "v.csv"));
        var held = ResultCsv.Load(Path.Combine(_dir, "kv.csv"));
        // The engine records at t the input the step into t used (set before the step from t - h): the file's value at t - h.
        for (var row = 0; row < linear.Rows.Count - 1; row++)
        {
            var t = Math.Max(0, linear.Times[row] - 0.5);
            var i = Array.FindLastIndex(seconds, s => s <= t);
            var w = (t - seconds[i]) / (seconds[i + 1] - seconds[i]);
            linear.Values("voltage")[row].ShouldBe(volts[i] + w * (volts[i + 1] - volts[i]), 1e-9, $"t={t}");
            held.Values("voltage")[row].ShouldBe(1000 * volts[i], 1e-6, $"t={t}");
        }
        r.StdOut.ShouldContain($"replay {path}: {reference.Times.Length} rows");
    }

    /// <summary>The replayed file is part of the run's provenance: a rerun checks it is unchanged before it compares results.</summary>
    [Test]
    public void Rerun_ReplayedFileIsHashedInTheProvenance_IdenticalThenRefusedOnceItChanged()
    {
        var path = Path.Combine(_dir, "historian.csv");
        File.WriteAllLines(path, ["time;Voltage", .. Enumerable.Range(0, 11).Select(i => $"2026-12-01T10:00:{i:00}Z;{(220 + 3 * i).ToString(CultureInfo.InvariantCulture)},5")]);

        var run = CosimProcess.Run(_dir, "simulate", Pump, "--replay", "historian.csv", "--replay-map", "Voltage=voltage", "--stop", "10", "--step", "0.5", "-o", "out.csv");

        run.ExitCode.ShouldBe(0, run.ToString());
        File.ReadAllText(Path.Combine(_dir, "out.csv.provenance.json")).ShouldContain("\"path\": \"historian.csv\"");
        var same = CosimProcess.Run(_dir, "rerun", "out.csv.provenance.json");
        same.ExitCode.ShouldBe(0, same.ToString());
        same.StdOut.ShouldContain("identical:");

        File.AppendAllText(path, "2026-12-01T10:00:11Z;300,5\n");
        var changed = CosimProcess.Run(_dir, "rerun", "out.csv.provenance.json");
        changed.ExitCode.ShouldBe(2, changed.ToString());
        changed.StdErr.ShouldContain($"input file {path} changed since the run");
    }

    [Test]
    public void Simulate_GapWithPolicyFail_FailsAtTheGapNamingFileLineAndKeepsTheRows()
    {
        var path = Skab.Like(_dir, gapAfterRow: 600);
        var reference = Skab.Read(path);
        var gapAt = Enumerable.Range(0, reference.Times.Length - 1).Single(i => (reference.Times[i + 1] - reference.Times[i]).TotalSeconds > 60);
        var gapStart = (reference.Times[gapAt] - reference.Times[0]).TotalSeconds;

        var r = CosimProcess.Run(_dir, "simulate", Pump, "--replay", path, "--replay-map", "Voltage=voltage", "--replay-gap", "*=fail:10",
            "--stop", "1000", "--step", "1", "-o", "out.csv");

        r.ExitCode.ShouldBe(1, r.ToString());
        r.StdErr.ShouldContain($"{path}:{gapAt + 3}: signal 'Voltage': no record for {(reference.Times[gapAt + 1] - reference.Times[gapAt]).TotalSeconds} s");
        ResultCsv.Load(Path.Combine(_dir, "out.csv")).Times[^1].ShouldBe(gapStart + 1);
    }

    [Test]
    public void Simulate_MalformedRow_ExitsTwoWithFileLineColumn()
    {
        var lines = File.ReadAllLines(Skab.Like(_dir));
        var cells = lines[7].Split(';');
        cells[7] = "2x3.5"; // Voltage
        lines[7] = string.Join(';', cells);
        var path = Path.Combine(_dir, "bad.csv");
        File.WriteAllLines(path, lines);

        var r = CosimProcess.Run(_dir, "simulate", Pump, "--replay", path, "--replay-map", "Voltage=voltage", "--stop", "10", "-o", "out.csv");
        var skipped = CosimProcess.Run(_dir, "simulate", Pump, "--replay", path, "--replay-map", "Voltage=voltage", "--replay-bad-rows", "skip", "--stop", "10", "-o", "out.csv");

        r.ExitCode.ShouldBe(2, r.ToString());
        r.StdErr.Trim().ShouldMatch($@"^error: {Regex.Escape(path)}:8:\d+: column 'Voltage': '2x3\.5' is not a number");
        skipped.ExitCode.ShouldBe(0, skipped.ToString());
        skipped.StdOut.ShouldContain("1 malformed rows skipped (first: " + path + ":8:");
    }

    [Test]
    public void Simulate_Shadow_ResidualsFlagsStatisticsAndScoreAgreeWithTheResultFile()
    {
        var path = Skab.File("valve1/0.csv");
        var reference = Skab.Read(path);
        var seconds = reference.Times.Select(t => (t - reference.Times[0]).TotalSeconds).ToArray();

        var r = CosimProcess.Run(_dir, "simulate", Pump, "--replay", path, "--replay-map", "Voltage[V]=voltage",
            "--shadow", "flowRate=Volume Flow RateRMS[l/min]", "--shadow", "current=Current[A]", "--shadow-band", "current=0.3",
            "--shadow-fit-rows", "400", "--shadow-duration", "3", "--shadow-label", "anomaly", "--set", "initialTemperature=79", "--step", "1", "--stop", "1000", "-o", "out.csv");

        r.ExitCode.ShouldBe(0, r.ToString());
        var result = ResultCsv.Load(Path.Combine(_dir, "out.csv"));
        var times = result.Times;
        var fitEnd = seconds[400];
        // At record times the measured column is the file's value, and residual = measured - simulated.
        var flowMeasured = result.Values("shadow.Pump.flowRate.measured");
        var flowResidual = result.Values("shadow.Pump.flowRate.residual");
        var flowSimulated = result.Values("Pump.flowRate");
        for (var row = 0; row < times.Length; row++)
        {
            var i = Array.IndexOf(seconds, times[row]);
            if (i >= 0) flowMeasured[row].ShouldBe(reference.Rows[i][7], $"t={times[row]}");
            flowResidual[row].ShouldBe(flowMeasured[row] - flowSimulated[row], 1e-9);
        }
        // The current's band is given (0.3 A); its bias is the median residual of the fitting part.
        var current = result.Values("shadow.Pump.current.residual");
        var fitting = Enumerable.Range(0, times.Length).Where(k => times[k] < fitEnd).Select(k => current[k]).Order().ToArray();
        var bias = fitting.Length % 2 == 1 ? fitting[fitting.Length / 2] : 0.5 * (fitting[fitting.Length / 2 - 1] + fitting[fitting.Length / 2]);
        var flags = result.Values("shadow.Pump.current.flag");
        double? outSince = null;
        for (var k = 0; k < times.Length; k++)
        {
            if (times[k] < fitEnd)
            {
                flags[k].ShouldBe(0);
                continue;
            }
            var outside = Math.Abs(current[k] - bias) > 0.3;
            var expected = outside && times[k] - (outSince ?? times[k]) >= 3;
            flags[k].ShouldBe(expected ? 1 : 0, $"t={times[k]}");
            outSince = outside ? outSince ?? times[k] : null;
        }
        // The flow's band is learned: 4 x 1.4826 x the median absolute deviation of its residual on the fitting part.
        static double Median(IEnumerable<double> xs)
        {
            var v = xs.Order().ToArray();
            return v.Length % 2 == 1 ? v[v.Length / 2] : 0.5 * (v[v.Length / 2 - 1] + v[v.Length / 2]);
        }
        var flowFit = Enumerable.Range(0, times.Length).Where(k => times[k] < fitEnd).Select(k => flowResidual[k]).ToArray();
        var flowBias = Median(flowFit);
        var band = 4 * 1.4826 * Median(flowFit.Select(x => Math.Abs(x - flowBias)));
        var printed = Regex.Match(r.StdOut, @"shadow Pump\.flowRate .*; bias (\S+), band ±(\S+);").Groups;
        double.Parse(printed[1].Value, CultureInfo.InvariantCulture).ShouldBe(flowBias, 1e-4);
        double.Parse(printed[2].Value, CultureInfo.InvariantCulture).ShouldBe(band, 1e-4);
        // Summary: RMSE of the flow residual after the fitting part, and the score over the file's rows.
        var scored = Enumerable.Range(0, times.Length).Where(k => times[k] >= fitEnd).ToArray();
        var rmse = Math.Sqrt(scored.Average(k => flowResidual[k] * flowResidual[k]));
        var printedRmse = double.Parse(Regex.Match(r.StdOut, @"shadow Pump\.flowRate vs 'Volume Flow RateRMS' \[l/min\]: \d+ points, RMSE ([0-9.]+)").Groups[1].Value, CultureInfo.InvariantCulture);
        printedRmse.ShouldBe(rmse, 1e-4);
        var rows = scored.Where(k => Array.IndexOf(seconds, times[k]) >= 0).ToArray();
        var flag = result.Values("shadow.flag");
        var label = result.Values("shadow.label");
        var tp = rows.Count(k => flag[k] == 1 && label[k] == 1);
        var fp = rows.Count(k => flag[k] == 1 && label[k] == 0);
        var fn = rows.Count(k => flag[k] == 0 && label[k] == 1);
        rows.Select(k => label[k]).ShouldBe(rows.Select(k => reference.Rows[Array.IndexOf(seconds, times[k])][8]));
        r.StdOut.ShouldContain($"({rows.Length} rows after the first 400)");
        r.StdOut.ShouldContain($"(TP {tp}, FP {fp}, TN {rows.Length - tp - fp - fn}, FN {fn})");
    }

    /// <summary>
    /// A 10-minute hole in a 1 Hz file, replayed with no gap option: held at the last record (not interpolated across 601 s),
    /// with a warning naming file, line, column and the gap, and the gap counted in the summary.
    /// </summary>
    [Test]
    public void Simulate_TenMinuteHoleWithDefaultGapPolicy_HeldWithAWarningAndCountedInTheSummary()
    {
        var path = Skab.Like(_dir, rows: 300, gapAfterRow: 100, gapSeconds: 601);
        var reference = Skab.Read(path);
        var seconds = reference.Times.Select(t => (t - reference.Times[0]).TotalSeconds).ToArray();
        var (before, after) = (seconds[100], seconds[101]);

        var r = CosimProcess.Run(_dir, "simulate", Pump, "--replay", path, "--replay-map", "Voltage=voltage", "--stop", F(after + 10), "--step", "1",
            "--record", "voltage", "-o", "out.csv");

        r.ExitCode.ShouldBe(0, r.ToString());
        r.StdErr.ShouldContain($"warning: [replay] {path}:103: column 'Voltage': no record for 601 s (t={F(before)} to {F(after)} s), more than 10 s " +
                               "(10 x the median record interval): held at the last record, not interpolated (to choose: --replay-gap 'Voltage=");
        r.StdOut.ShouldContain($"replay {path}: 300 rows");
        r.StdOut.ShouldContain("1 gap (longest 601 s)");
        var result = ResultCsv.Load(Path.Combine(_dir, "out.csv"));
        var voltage = result.Values("voltage");
        for (var k = 1; k < result.Rows.Count; k++)
            if (result.Times[k - 1] > before && result.Times[k - 1] < after)
                voltage[k].ShouldBe(reference.Rows[100][6], $"t={result.Times[k]}: held inside the gap");
    }

    /// <summary>Policy missing hands NaN to the Pump FMU, which refuses it: the run fails there, and the output says which policy to use instead.</summary>
    [Test]
    public void Simulate_MissingPolicyIntoAnFmuThatRefusesNaN_SaysWhichPolicyToUse()
    {
        var path = Skab.Like(_dir, rows: 60, gapAfterRow: 20, gapSeconds: 30);

        var r = CosimProcess.Run(_dir, "simulate", Pump, "--replay", path, "--replay-map", "Voltage=voltage", "--replay-gap", "Voltage=missing:10",
            "--stop", "50", "--step", "1", "-o", "out.csv");

        r.ExitCode.ShouldBe(1, r.ToString());
        (r.StdOut + r.StdErr).ShouldContain("NaN");
        r.StdErr.ShouldContain("column 'Voltage' gave NaN inside a gap from t=");
        r.StdErr.ShouldContain("use --replay-gap 'Voltage=hold:MAXGAP' (or interpolate:MAXGAP) instead");
    }

    private static string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
}
