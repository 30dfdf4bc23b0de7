using CoSim.Core;

namespace CoSim.Fmi.Tests.Clocks;

/// <summary>Runs a component with clocks from 0 to 1 s in steps of 0.1 s and records outputs at the 11 communication points.</summary>
internal static class ClockRuns
{
    public static int Var(IComponent unit, string name) => unit.Variables.Single(v => v.Name == name).Index;

    /// <summary>The named outputs at 0, 0.1, ..., 1; <paramref name="between"/> runs before each step (at its start time).</summary>
    public static Dictionary<string, double[]> Run(IComponent unit, string[] outputs, Action<IComponent, SimTime>? between = null)
    {
        var read = unit.CreateAccessor(outputs.Select(o => Var(unit, o)).ToList());
        var rows = outputs.ToDictionary(o => o, _ => new double[11]);
        var values = new double[outputs.Length];
        void Record(int row)
        {
            read.Read(values);
            for (var i = 0; i < outputs.Length; i++) rows[outputs[i]][row] = values[i];
        }
        unit.Instantiate();
        unit.EnterInitialization(SimTime.Zero, SimTime.FromSeconds(1), null);
        unit.ExitInitialization();
        Record(0);
        var h = SimTime.FromSeconds(0.1);
        for (var k = 0; k < 10; k++)
        {
            var t = h * k;
            between?.Invoke(unit, t);
            unit.Step(t, h).ShouldBe(StepResult.Completed(t + h));
            Record(k + 1);
        }
        unit.Terminate();
        return rows;
    }

    /// <summary>Ticks as "clock@time ...".</summary>
    public static string Schedule(IEnumerable<CoSim.Fmi.Clocks.ClockTick> ticks) =>
        string.Join(" ", ticks.Select(t => $"{t.Clock}@{t.Time.Seconds:0.###}"));
}
