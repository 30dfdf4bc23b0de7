using System.CommandLine;
using CoSim.Core;
using CoSim.Engine.Specification;
using CoSim.Engine.Systems;
using CoSim.Telemetry.Replay;
using CoSim.Telemetry.Shadow;
using CoSim.Telemetry.Signals;

namespace CoSim.Cli.Commands;

/// <summary>
/// <c>--replay</c> (historian file columns into inputs) and <c>--shadow</c> (simulated outputs compared
/// with measured columns of the same file) for every run command: they add a <see cref="ReplayInput"/>
/// manipulator and a <see cref="ShadowComponent"/> (with its connections) to the specification.
/// </summary>
internal sealed class ReplayOptions
{
    private readonly Option<string?> _file = new("--replay")
    {
        Description = "Historian CSV to replay (delimiter, decimal separator and time format detected; see docs/telemetry.md). " +
                      "Its first record is simulation time 0 unless --replay-t0 says otherwise; --replay-map says which column feeds which input.",
    };
    private readonly Option<string[]> _map = Repeatable("--replay-map",
        "COLUMN[unit]=INPUT: replay a column (header name, spaces allowed) into an input (Component.input; simulate: the input's name), " +
        "converting the column's unit to the input's, e.g. 'Voltage[V]=voltage' (repeatable).");
    private readonly Option<string[]> _interpolation = Repeatable("--replay-interpolation",
        "COLUMN=linear|hold: how a column is sampled between records (COLUMN * = every column). Default: linear for continuous Real inputs, else hold.");
    private readonly Option<string[]> _gap = Repeatable("--replay-gap",
        "COLUMN=POLICY:MAXGAP: records more than MAXGAP seconds apart are a gap, inside which the column holds its last value (hold), " +
        "is interpolated (interpolate), is NaN (missing; an FMU may refuse NaN) or ends the run (fail); COLUMN * = every column, e.g. '*=hold:5'. " +
        "Default: hold beyond 10 x the column's median record interval, with a warning naming each gap.");
    private readonly Option<string?> _time = new("--replay-time")
    {
        Description = "Time column format: auto (default), datetime (ISO 8601 or yyyy-MM-dd HH:mm:ss; without a zone: local time in --replay-zone), epoch-s, epoch-ms, seconds.",
    };
    private readonly Option<string?> _timeColumn = new("--replay-time-column") { Description = "Name of the time column. Default: the first column." };
    private readonly Option<string?> _zone = new("--replay-zone") { Description = "Time zone (IANA id, e.g. Europe/Moscow) of date-times written without one. Default: UTC." };
    private readonly Option<string?> _t0 = new("--replay-t0") { Description = "The file time (written like the file's) that is simulation time 0. Default: the first record's." };
    private readonly Option<string?> _delimiter = new("--replay-delimiter") { Description = "Field delimiter (a character, or 'tab'). Default: detected from the header." };
    private readonly Option<string?> _decimal = new("--replay-decimal") { Description = "Decimal separator, . or ,. Default: detected from the first row." };
    private readonly Option<string?> _badRows = new("--replay-bad-rows")
    {
        Description = "Malformed rows (wrong field count, a cell that is not a number, a bad or decreasing time): fail (default: error naming file:line:column) or skip (skipped and counted in the summary).",
    };
    private readonly Option<double?> _speed = CliOptions.Number("--replay-speed",
        "Pace the run at this multiple of the wall clock (1 = as the plant recorded it, 10 = ten times faster); default: as fast as possible.");
    private readonly Option<string[]> _shadow = Repeatable("--shadow",
        "OUTPUT=COLUMN[unit]: compare a simulated output (Component.output) with a measured column of the --replay file, e.g. 'Pump.flowRate=Volume Flow RateRMS[l/min]'. " +
        "Adds result columns shadow.OUTPUT.measured/.residual/.flag and shadow.flag, and RMSE, MAE, MAPE, max error and flags to the summary (repeatable).");
    private readonly Option<string[]> _band = Repeatable("--shadow-band", "OUTPUT=BAND: allowed |residual - bias| in the column's unit. Default: learned, k x sigma on the fitting rows.");
    private readonly Option<int?> _fitRows = CliOptions.Integer("--shadow-fit-rows",
        "The first N rows are for fitting: each residual's bias and sigma are learned there and nothing is flagged or scored (SKAB: 400). Default 0.");
    private readonly Option<double?> _k = CliOptions.Number("--shadow-k", "Learned band = k x sigma of the residual on the fitting rows. Default 4.");
    private readonly Option<double?> _duration = CliOptions.Number("--shadow-duration", "Seconds a residual must stay outside its band before it is flagged. Default 5.");
    private readonly Option<string?> _label = new("--shadow-label")
    {
        Description = "A 0/1 label column (e.g. 'anomaly') to score the flags against, row by row after the fitting rows: F1, false-alarm and missed-alarm rates in the summary.",
    };

    private static Option<string[]> Repeatable(string name, string description) => new(name) { Description = description, AllowMultipleArgumentsPerToken = false };

    public void AddTo(Command command)
    {
        _time.AcceptOnlyFromAmong("auto", "datetime", "epoch-s", "epoch-ms", "seconds");
        _badRows.AcceptOnlyFromAmong("fail", "skip");
        foreach (var o in new Option[] { _file, _map, _interpolation, _gap, _time, _timeColumn, _zone, _t0, _delimiter, _decimal, _badRows, _speed, _shadow, _band, _fitRows, _k, _duration, _label })
            command.Add(o);
    }

    /// <summary>The replay file as read by the last <see cref="Apply"/> (null: no --replay), e.g. the measurements of a state estimation.</summary>
    public HistorianData? Data { get; private set; }

    /// <summary>
    /// Reads the file and adds the replay and the shadow to <paramref name="spec"/>; bad input throws <see cref="InputException"/>.
    /// <paramref name="measured"/>: further columns read for a state estimation (--estimate).
    /// </summary>
    public void Apply(ParseResult parse, RunSpecification spec, string? defaultComponent, IReadOnlyList<string>? measured = null)
    {
        measured ??= [];
        var file = parse.GetValue(_file);
        var maps = (parse.GetValue(_map) ?? []).Select(m => Split("--replay-map", m, "COLUMN[unit]=INPUT")).ToList();
        var shadows = (parse.GetValue(_shadow) ?? []).Select(s => Split("--shadow", s, "OUTPUT=COLUMN[unit]")).ToList();
        if (parse.GetValue(_speed) is { } speed)
        {
            if (speed <= 0) throw new InputException($"--replay-speed {speed}: must be positive");
            spec.RealTimeFactor = speed;
        }
        if (file == null)
        {
            if (maps.Count > 0 || shadows.Count > 0 || measured.Count > 0) throw new InputException($"{(measured.Count > 0 ? "--estimate" : "--replay-map and --shadow")} need --replay FILE");
            return;
        }
        if (maps.Count == 0 && shadows.Count == 0 && measured.Count == 0) throw new InputException($"--replay {file}: say which columns feed which inputs (--replay-map COLUMN=INPUT) or compare (--shadow OUTPUT=COLUMN)");

        var columns = maps.Select(m => Column(m.Left).Name).Concat(shadows.Select(s => Column(s.Right).Name)).Concat(measured).ToList();
        if (parse.GetValue(_label) is { } label) columns.Add(label);
        var data = HistorianCsv.Load(file, new HistorianCsvOptions
        {
            Columns = columns.Distinct().ToList(),
            Delimiter = parse.GetValue(_delimiter) is { } d ? (d == "tab" ? '\t' : d.Length == 1 ? d[0] : throw new InputException($"--replay-delimiter '{d}': one character, or 'tab'")) : null,
            DecimalSeparator = parse.GetValue(_decimal) switch
            {
                null => null,
                "." => '.',
                "," => ',',
                var x => throw new InputException($"--replay-decimal '{x}': . or ,"),
            },
            TimeColumn = parse.GetValue(_timeColumn),
            TimeFormat = parse.GetValue(_time) switch
            {
                "datetime" => TimeFormat.DateTime,
                "epoch-s" => TimeFormat.EpochSeconds,
                "epoch-ms" => TimeFormat.EpochMilliseconds,
                "seconds" => TimeFormat.Seconds,
                _ => TimeFormat.Auto,
            },
            Zone = parse.GetValue(_zone) is { } z ? Zone(z) : null,
            TimeZero = parse.GetValue(_t0),
            Malformed = parse.GetValue(_badRows) == "skip" ? MalformedRows.Skip : MalformedRows.Fail,
        });

        Data = data;
        // A replayed run covers the file: its span is the run's default start and stop (the FMU's step stays the step).
        if (data.RowCount > 0) spec.SystemDefaults = new ExperimentDefaults(Math.Max(0, data.Times[0]), data.Times[^1], spec.SystemDefaults?.Step);

        if (maps.Count > 0)
        {
            var policies = Policies(parse, maps.Select(m => Column(m.Left).Name).ToList());
            var mappings = maps.Select(m =>
            {
                var (name, unit) = Column(m.Left);
                return new ReplayMapping(name, m.Right, unit, policies.GetValueOrDefault(name));
            }).ToList();
            var replay = new ReplayInput(data, mappings, defaultComponent);
            foreach (var w in replay.Warnings) Console.Error.WriteLine($"warning: [replay] {w}");
            spec.Manipulators.Add(replay);
        }
        if (shadows.Count > 0)
        {
            var bands = (parse.GetValue(_band) ?? []).Select(b => CliOptions.SplitAssignment("--shadow-band", b, "OUTPUT=BAND"))
                .ToDictionary(b => Qualified(b.Name, defaultComponent), b => Number("--shadow-band", b.Value));
            var signals = shadows.Select(s =>
            {
                var output = Qualified(s.Left, defaultComponent);
                var (column, unit) = Column(s.Right);
                return new ShadowSignal(output, column, unit, bands.TryGetValue(output, out var band) ? band : null);
            }).ToList();
            foreach (var b in bands.Keys.Where(b => signals.All(s => s.Output != b))) throw new InputException($"--shadow-band {b}: no --shadow compares it");
            var name = "shadow";
            while (spec.Components.Any(c => c.Name == name)) name += "_";
            var shadow = new ShadowComponent(data, signals, new ShadowOptions
            {
                Name = name,
                FitRows = parse.GetValue(_fitRows) ?? 0,
                K = parse.GetValue(_k) ?? 4,
                MinDuration = parse.GetValue(_duration) ?? 5,
                LabelColumn = parse.GetValue(_label),
            });
            spec.Components.Add(new ComponentSpec(shadow));
            foreach (var (from, to) in shadow.Connections()) spec.Connections.Add(new Connection(from, to));
        }
    }

    private Dictionary<string, SignalPolicy> Policies(ParseResult parse, IReadOnlyList<string> columns)
    {
        var interpolation = new Dictionary<string, Interpolation>();
        foreach (var i in parse.GetValue(_interpolation) ?? [])
        {
            var (column, mode) = CliOptions.SplitAssignment("--replay-interpolation", i, "COLUMN=linear|hold");
            foreach (var c in Columns("--replay-interpolation", column, columns)) interpolation[c] = SignalPolicy.ParseInterpolation(mode);
        }
        var gaps = new Dictionary<string, (GapPolicy, double)>();
        foreach (var g in parse.GetValue(_gap) ?? [])
        {
            var (column, rule) = CliOptions.SplitAssignment("--replay-gap", g, "COLUMN=POLICY:MAXGAP");
            var colon = rule.LastIndexOf(':');
            if (colon <= 0) throw new InputException($"--replay-gap '{g}': expected COLUMN=POLICY:MAXGAP, e.g. '*=hold:5'");
            var max = Number("--replay-gap", rule[(colon + 1)..]);
            if (max <= 0) throw new InputException($"--replay-gap '{g}': the maximum gap must be positive");
            foreach (var c in Columns("--replay-gap", column, columns)) gaps[c] = (SignalPolicy.ParseGap(rule[..colon]), max);
        }
        var policies = new Dictionary<string, SignalPolicy>();
        foreach (var c in columns.Where(c => interpolation.ContainsKey(c) || gaps.ContainsKey(c)))
        {
            var (gap, max) = gaps.TryGetValue(c, out var g) ? g : (GapPolicy.Hold, SignalPolicy.AutoMaxGap);
            policies[c] = new SignalPolicy(interpolation.GetValueOrDefault(c, Interpolation.Linear), gap, max);
        }
        return policies;
    }

    private static IEnumerable<string> Columns(string option, string column, IReadOnlyList<string> mapped)
    {
        if (column == "*") return mapped;
        if (!mapped.Contains(column)) throw new InputException($"{option} {column}: not a replayed column (have: {string.Join(", ", mapped.Select(m => $"'{m}'"))})");
        return [column];
    }

    private static (string Left, string Right) Split(string option, string text, string form)
    {
        var (left, right) = CliOptions.SplitAssignment(option, text, form);
        return (left.Trim(), right.Trim());
    }

    // "Volume Flow RateRMS[l/min]" -> the column and its unit.
    private static (string Name, string? Unit) Column(string text)
    {
        text = text.Trim();
        var open = text.LastIndexOf('[');
        return open > 0 && text.EndsWith(']') ? (text[..open].TrimEnd(), text[(open + 1)..^1]) : (text, null);
    }

    private static string Qualified(string name, string? defaultComponent) =>
        name.Contains('.') || defaultComponent == null ? name : $"{defaultComponent}.{name}";

    private static double Number(string option, string text) =>
        double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
            ? v
            : throw new InputException($"{option}: '{text}' is not a number");

    private static TimeZoneInfo Zone(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new InputException($"--replay-zone {id}: no such time zone on this machine (IANA ids, e.g. Europe/Berlin; needs tzdata)");
        }
    }
}
