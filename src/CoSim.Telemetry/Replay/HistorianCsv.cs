using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CoSim.Core;
using CoSim.Telemetry.Signals;
using nietras.SeparatedValues;

namespace CoSim.Telemetry.Replay;

/// <summary>Reads historian CSV files (Sep) into <see cref="HistorianData"/>.</summary>
public static class HistorianCsv
{
    private const int MaxSkipReasons = 5;
    private static readonly string[] LocalFormats =
    [
        "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm",
    ];

    /// <summary>Reads <paramref name="path"/>; throws <see cref="InputException"/> naming file, line and column for bad input.</summary>
    public static HistorianData Load(string path, HistorianCsvOptions? options = null)
    {
        options ??= new HistorianCsvOptions();
        if (!File.Exists(path)) throw new InputException($"{path}: no such replay file");
        try
        {
            return Read(path, options);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or FormatException)
        {
            throw new InputException($"{path}: not readable as CSV: {e.Message}", e);
        }
    }

    private static HistorianData Read(string path, HistorianCsvOptions options)
    {
        if (new FileInfo(path).Length == 0) throw new InputException($"{path}:1: the replay file is empty (expected a header row)");
        using var reader = Sep.Reader(o => o with
        {
            Sep = options.Delimiter is { } d ? new Sep(d) : null,
            HasHeader = true,
            Unescape = true,
            Trim = SepTrim.All,
            DisableColCountCheck = true,
        }).FromFile(path);
        var names = reader.Header.ColNames;
        var delimiter = reader.Spec.Sep.Separator;
        var timeIndex = options.TimeColumn is { } tc ? IndexOf(names, tc, path, "time column") : 0;
        var selected = options.Columns ?? names.Where((_, i) => i != timeIndex).ToList();
        var indices = selected.Select(c => IndexOf(names, c, path, "column")).ToArray();
        if (indices.Contains(timeIndex)) throw new InputException($"{path}:1: column '{InputText.OneLine(names[timeIndex])}' is the time column; it cannot also be a signal");

        var format = options.TimeFormat;
        char? decimalSeparator = options.DecimalSeparator;
        NumberFormatInfo? numbers = null;
        var decidedAt = 0; // the line that showed the decimal separator (0: given, or not yet seen)
        var zone = new LocalClock(options.Zone ?? TimeZoneInfo.Utc);
        var times = new List<long>(1024);
        var values = indices.Select(_ => new List<double>(1024)).ToArray();
        var lines = new List<int>(1024);
        var skipReasons = new List<string>();
        var skipped = 0;
        var cells = new double[indices.Length];
        foreach (var row in reader)
        {
            var line = row.LineNumberFrom;
            if (row.ColCount == 1 && row[0].Span.IsEmpty) continue; // a blank line
            if (decimalSeparator == null && DecimalIn(row, indices, timeIndex, delimiter) is { } seen)
            {
                decimalSeparator = seen;
                decidedAt = line;
                numbers = null;
            }
            // Until a row shows a separator every number is an integer, which reads the same either way.
            numbers ??= new NumberFormatInfo { NumberDecimalSeparator = (decimalSeparator ?? '.').ToString(), NumberGroupSeparator = decimalSeparator == ',' ? "." : "," };
            string? problem = null;
            if (row.ColCount != names.Count)
                problem = $"{path}:{line}:{row.Span.Length + 1}: expected {names.Count} fields (as the header), found {row.ColCount}";
            long stamp = 0;
            if (problem == null)
            {
                var timeText = row[timeIndex].Span;
                if (format == TimeFormat.Auto) format = Detect(timeText, numbers);
                if (!TryParseTime(timeText, format, zone, numbers, out stamp, out var why))
                    problem = $"{path}:{line}:{Column(row, timeIndex)}: time column '{InputText.OneLine(names[timeIndex])}': '{InputText.OneLine(timeText)}' {why}";
                else if (times.Count > 0 && stamp < times[^1])
                    problem = $"{path}:{line}:{Column(row, timeIndex)}: time '{InputText.OneLine(timeText)}' is before the previous row's; time must not decrease";
            }
            for (var c = 0; problem == null && c < indices.Length; c++)
            {
                var text = row[indices[c]].Span;
                if (text.IsEmpty) cells[c] = double.NaN; // missing sample: a gap in this signal only
                else if (!TryParseNumber(row[indices[c]], decimalSeparator ?? '.', numbers, out cells[c]))
                    problem = $"{path}:{line}:{Column(row, indices[c])}: column '{InputText.OneLine(names[indices[c]])}': '{InputText.OneLine(text)}' is not a number{Separator(decimalSeparator, decidedAt)}";
            }
            if (problem != null)
            {
                if (options.Malformed == MalformedRows.Fail) throw new InputException(problem + " (to skip malformed rows and count them: --replay-bad-rows skip)");
                skipped++;
                if (skipReasons.Count < MaxSkipReasons) skipReasons.Add(problem);
                continue;
            }
            times.Add(stamp);
            lines.Add(line);
            for (var c = 0; c < indices.Length; c++) values[c].Add(cells[c]);
        }
        if (times.Count == 0) throw new InputException($"{path}: the replay file has no readable rows{(skipped > 0 ? $" ({skipped} malformed, first: {skipReasons[0]})" : "")}");

        var zero = times[0];
        if (options.TimeZero is { } t0)
        {
            var t0Format = format == TimeFormat.Auto ? Detect(t0, numbers!) : format;
            if (!TryParseTime(t0, t0Format, zone, numbers!, out zero, out var why)) throw new InputException($"time zero '{t0}': {why} (write it like the file's times, {format})");
        }
        var simTimes = new double[times.Count];
        for (var i = 0; i < simTimes.Length; i++) simTimes[i] = (times[i] - zero) / (double)TimeSpan.TicksPerSecond;
        DateTimeOffset? wallZero = format is TimeFormat.Seconds or TimeFormat.Milliseconds ? null : new DateTimeOffset(zero, TimeSpan.Zero);
        return new HistorianData(path, indices.Select(i => names[i]).ToArray(), simTimes, values.Select(v => v.ToArray()).ToArray(), lines.ToArray(),
            delimiter, decimalSeparator ?? '.', format, wallZero, skipped, skipReasons);
    }

    private static string Separator(char? separator, int decidedAt) => separator switch
    {
        null => "",
        _ when decidedAt > 0 => $" with decimal separator '{separator}' (detected from line {decidedAt}; --replay-decimal sets it)",
        _ => $" with decimal separator '{separator}'",
    };

    /// <summary>
    /// The decimal separator a row shows, or null when its numbers are all integers: a signal cell with a comma (the
    /// delimiter not being one) says <c>,</c>, with a point <c>.</c>; a numeric time cell with a comma says <c>,</c>.
    /// </summary>
    private static char? DecimalIn(SepReader.Row row, int[] indices, int timeIndex, char delimiter)
    {
        if (delimiter == ',') return '.';
        char? seen = null;
        foreach (var i in indices)
        {
            if (i >= row.ColCount) continue;
            var cell = row[i].Span;
            if (cell.Contains(',')) return ',';
            if (cell.Contains('.')) seen = '.';
        }
        if (seen == null && timeIndex < row.ColCount && row[timeIndex].Span is var time && time.Contains(',') && !time.Contains('-')) return ',';
        return seen;
    }

    // Sep's own parser (csFastFloat) for '.', the framework's with the given separator otherwise. Never a group separator:
    // with '.' decimals a comma in a cell is a stray decimal comma (210,193 V is not 210193 V), so the cell is malformed.
    private static bool TryParseNumber(SepReader.Col col, char decimalSeparator, NumberFormatInfo numbers, out double value)
    {
        if (decimalSeparator == '.' && col.Span.Contains(','))
        {
            value = double.NaN;
            return false;
        }
        if (decimalSeparator == '.' && col.TryParse<double>() is { } fast)
        {
            value = fast;
            return true;
        }
        return double.TryParse(col.Span, NumberStyles.Float, numbers, out value);
    }

    private static int IndexOf(IReadOnlyList<string> names, string name, string path, string what)
    {
        for (var i = 0; i < names.Count; i++)
            if (names[i] == name) return i;
        var close = NameSuggestions.Suggest(name, names);
        throw new InputException($"{path}:1: no {what} '{name}'{(close.Length > 0 ? close : $" in the header (have: {string.Join(", ", names.Select(n => $"'{n}'"))})")}");
    }

    // The character column (1-based) where a cell starts: the cell is a slice of the row's text.
    private static int Column(SepReader.Row row, int index)
    {
        var rowSpan = row.Span;
        var cell = row[index].Span;
        var offset = (int)(Unsafe.ByteOffset(ref MemoryMarshal.GetReference(rowSpan), ref MemoryMarshal.GetReference(cell)) / sizeof(char));
        return offset >= 0 && offset <= rowSpan.Length ? offset + 1 : 1;
    }

    private static TimeFormat Detect(ReadOnlySpan<char> text, NumberFormatInfo numbers)
    {
        if (!double.TryParse(text, NumberStyles.Float, numbers, out var v)) return TimeFormat.DateTime;
        return Math.Abs(v) > 1e11 ? TimeFormat.EpochMilliseconds : Math.Abs(v) > 1e8 ? TimeFormat.EpochSeconds : TimeFormat.Seconds;
    }

    /// <summary>Parses a time to ticks (100 ns) on one clock: UTC ticks for date-times and epochs, plain seconds' ticks otherwise.</summary>
    private static bool TryParseTime(ReadOnlySpan<char> text, TimeFormat format, LocalClock zone, NumberFormatInfo numbers, out long ticks, out string why)
    {
        ticks = 0;
        why = "";
        switch (format)
        {
            case TimeFormat.Seconds or TimeFormat.Milliseconds or TimeFormat.EpochSeconds or TimeFormat.EpochMilliseconds:
                if (!double.TryParse(text, NumberStyles.Float, numbers, out var v) || !double.IsFinite(v))
                {
                    why = $"is not a number ({format})";
                    return false;
                }
                var seconds = format is TimeFormat.EpochMilliseconds or TimeFormat.Milliseconds ? v / 1000 : v;
                ticks = (long)Math.Round(seconds * TimeSpan.TicksPerSecond) + (format is TimeFormat.Seconds or TimeFormat.Milliseconds ? 0 : DateTime.UnixEpoch.Ticks);
                return true;
            default:
                if (HasZone(text))
                {
                    if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var absolute))
                    {
                        ticks = absolute.UtcTicks;
                        return true;
                    }
                }
                else if (TryParseLocal(text, out var local))
                {
                    if (zone.TryToUtc(local, out ticks)) return true;
                    why = $"does not exist in zone {zone.Id} (clocks skipped it)";
                    return false;
                }
                why = "is not a date and time (ISO 8601, or yyyy-MM-dd HH:mm:ss local time)";
                return false;
        }
    }

    [ThreadStatic] private static int _lastFormat; // files keep one format: trying it first halves the parse time

    private static bool TryParseLocal(ReadOnlySpan<char> text, out DateTime local)
    {
        if (TryParseIsoLocal(text, out local)) return true;
        if (DateTime.TryParseExact(text, LocalFormats[_lastFormat], CultureInfo.InvariantCulture, DateTimeStyles.None, out local)) return true;
        for (var f = 0; f < LocalFormats.Length; f++)
        {
            if (!DateTime.TryParseExact(text, LocalFormats[f], CultureInfo.InvariantCulture, DateTimeStyles.None, out local)) continue;
            _lastFormat = f;
            return true;
        }
        return false;
    }

    /// <summary>
    /// <c>yyyy-MM-dd HH:mm:ss</c> (or <c>T</c>), with an optional fraction of up to 7 digits, digit by digit: what
    /// historians write, and DateTime.TryParseExact
    /// took more time than the rest of the row (see docs/telemetry.md). False for anything else: the formats are tried then.
    /// </summary>
    private static bool TryParseIsoLocal(ReadOnlySpan<char> s, out DateTime local)
    {
        local = default;
        if (s.Length < 19 || s[4] != '-' || s[7] != '-' || (s[10] != ' ' && s[10] != 'T') || s[13] != ':' || s[16] != ':') return false;
        if (!Digits(s.Slice(0, 4), out var year) || !Digits(s.Slice(5, 2), out var month) || !Digits(s.Slice(8, 2), out var day) ||
            !Digits(s.Slice(11, 2), out var hour) || !Digits(s.Slice(14, 2), out var minute) || !Digits(s.Slice(17, 2), out var second))
            return false;
        var fraction = 0;
        if (s.Length > 19)
        {
            if (s[19] != '.' || s.Length == 20 || s.Length > 27 || !Digits(s[20..], out fraction)) return false;
            for (var i = s.Length; i < 27; i++) fraction *= 10; // to ticks of 100 ns
        }
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return false;
        local = new DateTime(year, month, day, hour, minute, second).AddTicks(fraction);
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> s, out int value)
    {
        value = 0;
        foreach (var ch in s)
        {
            var d = ch - '0';
            if ((uint)d > 9) return false;
            value = value * 10 + d;
        }
        return true;
    }

    /// <summary>
    /// A zone's UTC offset and skipped times by local minute, cached: a file runs through the same minute many times,
    /// and <see cref="TimeZoneInfo"/>'s lookups cost more than parsing the row. Offsets change on minute boundaries.
    /// </summary>
    private sealed class LocalClock(TimeZoneInfo zone)
    {
        private long _minute = long.MinValue;
        private long _offset;
        private bool _skipped;

        public string Id => zone.Id;

        /// <summary>UTC ticks of the local time <paramref name="local"/> (an ambiguous hour counts as standard time); false when the zone's clocks skipped it.</summary>
        public bool TryToUtc(DateTime local, out long ticks)
        {
            var minute = local.Ticks / TimeSpan.TicksPerMinute;
            if (minute != _minute)
            {
                var start = new DateTime(minute * TimeSpan.TicksPerMinute);
                _skipped = zone.IsInvalidTime(start);
                _offset = zone.GetUtcOffset(start).Ticks;
                _minute = minute;
            }
            ticks = local.Ticks - _offset;
            return !_skipped;
        }
    }

    // "...Z" or "...+01:00"/"-0500" after the time part.
    private static bool HasZone(ReadOnlySpan<char> text)
    {
        if (text.Length > 0 && (text[^1] == 'Z' || text[^1] == 'z')) return true;
        var timeStart = text.IndexOfAny('T', ' ');
        if (timeStart < 0) return false;
        var rest = text[(timeStart + 1)..];
        return rest.IndexOfAny('+', '-') > 0;
    }
}
