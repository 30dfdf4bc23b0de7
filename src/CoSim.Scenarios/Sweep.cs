namespace CoSim.Scenarios;

/// <summary>The cases of a parameter sweep: each a set of named values, run as an independent case.</summary>
public sealed class Sweep
{
    private Sweep(IReadOnlyList<string> names, IReadOnlyList<IReadOnlyDictionary<string, double>> cases)
    {
        Names = names;
        Cases = cases;
    }

    /// <summary>The swept names, in the order given.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The cases' values, in case order (case N is <c>Cases[N-1]</c>).</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, double>> Cases { get; }

    /// <summary>Every combination of the axes' values; the last axis varies fastest.</summary>
    public static Sweep Grid(params (string Name, double[] Values)[] axes)
    {
        if (axes.Length == 0) throw new ArgumentException("SweepGrid: give at least one axis");
        CheckNames(axes.Select(a => a.Name));
        foreach (var a in axes.Where(a => a.Values.Length == 0)) throw new ArgumentException($"SweepGrid: axis '{a.Name}' has no value");
        IEnumerable<Dictionary<string, double>> cases = [[]];
        foreach (var (name, values) in axes)
            cases = cases.SelectMany(c => values.Select(v => new Dictionary<string, double>(c) { [name] = v }));
        return new Sweep(axes.Select(a => a.Name).ToList(), cases.ToList());
    }

    /// <summary><paramref name="count"/> cases, each value uniform in [min, max), from a generator seeded with <paramref name="seed"/>.</summary>
    public static Sweep Random(int count, int seed, params (string Name, double Min, double Max)[] ranges)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "SweepRandom: at least one case");
        if (ranges.Length == 0) throw new ArgumentException("SweepRandom: give at least one range");
        CheckNames(ranges.Select(r => r.Name));
        foreach (var r in ranges.Where(r => !(r.Max >= r.Min) || !double.IsFinite(r.Min) || !double.IsFinite(r.Max)))
            throw new ArgumentException($"SweepRandom: range '{r.Name}' [{r.Min}, {r.Max}] is not a finite interval with min <= max");
        // System.Random with a seed is a fixed algorithm: the same seed gives the same cases on every machine.
        var random = new System.Random(seed);
        var cases = Enumerable.Range(0, count)
            .Select(_ => (IReadOnlyDictionary<string, double>)ranges.ToDictionary(r => r.Name, r => r.Min + (r.Max - r.Min) * random.NextDouble()))
            .ToList();
        return new Sweep(ranges.Select(r => r.Name).ToList(), cases);
    }

    private static void CheckNames(IEnumerable<string> names)
    {
        var list = names.ToList();
        foreach (var n in list.Where(string.IsNullOrWhiteSpace)) throw new ArgumentException("a sweep's parameter name must not be empty");
        foreach (var g in list.GroupBy(n => n).Where(g => g.Count() > 1)) throw new ArgumentException($"sweep parameter '{g.Key}' is given {g.Count()} times");
    }
}
