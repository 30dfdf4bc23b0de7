// Replay throughput against a plain read of the same file. Figures only, no assertions.
// The input is SKAB's anomaly-free.csv repeated (times shifted) to about 190,000 rows x 8 signals, in
// the historian's own form (';', local date-times) and, for the --input table reader (InputTable, on
// NumericCsv), as 'time,<signals>' with seconds.
using System.Diagnostics;
using System.Globalization;
using CoSim.Core;
using CoSim.Telemetry.Replay;
using CoSim.Telemetry.Signals;
using nietras.SeparatedValues;

var skab = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "../../../../../../shared/data/skab/anomaly-free/anomaly-free.csv");
if (!File.Exists(skab))
{
    Console.Error.WriteLine($"SKAB anomaly-free.csv not found at {skab}; pass its path");
    return 2;
}
var repeats = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
var dir = Directory.CreateTempSubdirectory("cosim-replay-bench-").FullName;
try
{
    var (historian, plain, rows, signals) = Prepare(skab, repeats, dir);
    var mb = new FileInfo(historian).Length / 1e6;
    Console.WriteLine($"file: {rows:N0} rows x {signals} signals, {mb:0.0} MB ({Path.GetFileName(skab)} x {repeats}); best of 5 runs each");

    var plainRead = Best(() => PlainSepRead(historian, signals));
    var load = Best(() => HistorianCsv.Load(historian).RowCount);
    var replay = Best(() => Replay(historian));
    var oldReader = Best(() => InputTable.Load(plain).RowCount);
    var values = (double)rows * signals;
    Console.WriteLine($"plain Sep read (time as text, values parsed into arrays): {plainRead * 1e3,8:0.0} ms  {values / plainRead / 1e6,6:0.00} M values/s");
    Console.WriteLine($"HistorianCsv.Load (dates parsed, times mapped, checks):    {load * 1e3,8:0.0} ms  {values / load / 1e6,6:0.00} M values/s");
    Console.WriteLine($"replay: load + buffers + every signal sampled at 2 points per record: {replay * 1e3,8:0.0} ms  {2 * values / replay / 1e6,6:0.00} M samples/s");
    Console.WriteLine($"InputTable.Load (--input: NumericCsv, ',' and seconds):     {oldReader * 1e3,8:0.0} ms  {values / oldReader / 1e6,6:0.00} M values/s");
    Console.WriteLine($"replay / plain read time: {replay / plainRead:0.00}x");
    return 0;
}
finally
{
    Directory.Delete(dir, true);
}

static (string Historian, string Plain, int Rows, int Signals) Prepare(string skab, int repeats, string dir)
{
    var lines = File.ReadAllLines(skab);
    var header = lines[0];
    var signals = header.Split(';').Length - 1;
    var body = lines.Skip(1).Select(l => (Time: DateTime.ParseExact(l[..19], "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), Tail: l[19..])).ToArray();
    var span = body[^1].Time - body[0].Time + TimeSpan.FromSeconds(1);
    var historian = Path.Combine(dir, "historian.csv");
    var plain = Path.Combine(dir, "plain.csv");
    using (var h = new StreamWriter(historian))
    using (var p = new StreamWriter(plain))
    {
        h.WriteLine(header);
        p.WriteLine("time," + string.Join(',', header.Split(';').Skip(1).Select(n => n.Replace(' ', '_'))));
        for (var k = 0; k < repeats; k++)
            foreach (var (time, tail) in body)
            {
                var t = time + k * span;
                h.Write(t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
                h.WriteLine(tail);
                p.Write((t - body[0].Time).TotalSeconds.ToString(CultureInfo.InvariantCulture));
                p.WriteLine(tail.Replace(';', ','));
            }
    }
    return (historian, plain, body.Length * repeats, signals);
}

// The reference: the fastest honest read of the same file with the same library, no time parsing.
static int PlainSepRead(string path, int signals)
{
    using var reader = Sep.Reader(o => o with { Sep = new Sep(';') }).FromFile(path);
    var columns = Enumerable.Range(0, signals).Select(_ => new List<double>(200_000)).ToArray();
    var times = new List<string>(200_000);
    foreach (var row in reader)
    {
        times.Add(row[0].ToString());
        for (var c = 0; c < signals; c++) columns[c].Add(row[c + 1].Parse<double>());
    }
    return times.Count;
}

static int Replay(string path)
{
    var data = HistorianCsv.Load(path);
    var buffers = data.Columns.Select(c => data.Buffer(c, new SignalPolicy(Interpolation.Linear, GapPolicy.Hold, 5))).ToArray();
    var sum = 0.0;
    var end = data.Times[^1];
    var n = 2 * data.RowCount;
    for (var k = 0; k < n; k++)
    {
        var t = end * k / n;
        foreach (var b in buffers) sum += b.Sample(t);
    }
    return sum > 0 ? data.RowCount : 0;
}

static double Best(Func<int> work)
{
    work(); // warm-up (JIT, file cache)
    var best = double.MaxValue;
    for (var i = 0; i < 5; i++)
    {
        var sw = Stopwatch.StartNew();
        work();
        best = Math.Min(best, sw.Elapsed.TotalSeconds);
    }
    return best;
}
