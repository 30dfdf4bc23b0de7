using System.Globalization;
using System.Text;
using CoSim.Core;
using CoSim.Engine.Specification;
using CoSim.Fmi;
using CoSim.Fmi.Archive;
using CoSim.Solvers;
using CoSim.TestSupport;
using CoSim.Telemetry.Replay;

namespace CoSim.Estimation.Tests;

/// <summary>The project's FMUs as estimator members, and measurement files written for a test.</summary>
internal static class Models
{
    private static readonly Lazy<FmuArchive> MassSpringDamperArchive = new(() => FmuArchive.Open(ExampleFmus.Path(2, "MassSpringDamper")));
    private static readonly Lazy<FmuArchive> PumpArchive = new(() => FmuArchive.Open(ExampleFmus.Path(2, "Pump")));

    /// <summary>Tight enough that the integrator's error (~1e-12) is far below the 1e-9 the UKF is compared at.</summary>
    public static readonly SolverOptions Tight = new() { Kind = SolverKind.DormandPrince54, RelativeTolerance = 1e-12, AbsoluteTolerance = 1e-14 };

    /// <summary>A run specification factory: the FMU as model exchange (or co-simulation), name <paramref name="name"/>.</summary>
    public static Func<RunSpecification> Spec(FmuArchive archive, string name, double stop, double step, SolverOptions? solver = null,
        FmuInterface iface = FmuInterface.ModelExchange) => () =>
    {
        var spec = new RunSpecification { Name = name, Start = 0, Stop = stop, Step = step };
        spec.Components.Add(new ComponentSpec(FmuComponents.Create(archive, name, NullLogSink.Instance, iface, solver)));
        return spec;
    };

    public static FmuArchive MassSpringDamper => MassSpringDamperArchive.Value;
    public static FmuArchive Pump => PumpArchive.Value;

    /// <summary>Writes <c>time,COLUMN...</c> and loads it as the estimator's data.</summary>
    public static HistorianData Data(string folder, string[] columns, IReadOnlyList<double> times, IReadOnlyList<double[]> rows)
    {
        var text = new StringBuilder("time," + string.Join(",", columns) + "\n");
        for (var i = 0; i < times.Count; i++)
            text.Append(F(times[i])).Append(',').AppendJoin(',', rows[i].Select(F)).Append('\n');
        var path = Path.Combine(folder, "measured.csv");
        File.WriteAllText(path, text.ToString());
        return HistorianCsv.Load(path);
    }

    // Box-Muller: reproducible from the seed, independent of the estimator's generator.
    public static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
