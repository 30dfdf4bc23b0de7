using System.CommandLine;
using CoSim.Core;
using CoSim.Scenarios;
using CoSim.Scripting;

namespace CoSim.Cli.Commands;

/// <summary><c>cosim new scenario NAME</c>: a commented starting script, and the editor header it loads.</summary>
internal static class NewCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = "The scenario's name: writes NAME.csx (a path is allowed; .csx is added when missing)." };
        var scenario = new Command("scenario",
            "Write a commented starting scenario script NAME.csx (refuses to overwrite one) and, beside it, globals.csx: the editor header the script " +
            "#loads so that VS Code or Rider resolve CoSim's scenario API (regenerated every time; harmless when cosim runs the script).")
        {
            name,
        };
        scenario.SetAction(parse => CliOptions.Run(parse, _ =>
        {
            var path = Path.GetFullPath(parse.GetValue(name)!);
            if (!path.EndsWith(".csx", StringComparison.OrdinalIgnoreCase)) path += ".csx";
            if (File.Exists(path)) throw new InputException($"{path}: already exists; not overwritten");
            var folder = Path.GetDirectoryName(path)!;
            Directory.CreateDirectory(folder);
            var globals = Path.Combine(folder, "globals.csx");
            File.WriteAllText(globals, EditorGlobals.Generate(typeof(Scenario), [typeof(Engine.Specification.RunSpecification).Assembly, typeof(ScriptHost).Assembly]));
            File.WriteAllText(path, Template(Path.GetFileNameWithoutExtension(path)));
            Console.WriteLine($"wrote {path} (run it: cosim run {Path.GetRelativePath(Environment.CurrentDirectory, path)}) and {globals} (editor support)");
            return CliOptions.Success;
        }));
        return new Command("new", "Create files from templates.") { scenario };
    }

    /// <summary>The starting script: the TankLoop example, one event, one fault, three assertions, every line explained.</summary>
    internal static string Template(string name) => $$"""
        // Scenario '{{name}}': a commissioning test written in C# (run: cosim run {{name}}.csx; as a test: cosim test .).
        // globals.csx lets your editor (VS Code / Rider with the C# extension) resolve the API; cosim runs the script with or without it.
        #load "globals.csx"

        // Paths are relative to this file. Replace with your own FMUs (Fmu("plant.fmu")) or SSP system (Ssp("system.ssp")).
        var loop = Ssp("{{RepoRoot()}}/build/examples/TankLoop.ssp");   // PI controller -> pump -> tank
        var tank = loop["Tank"];

        Stop = 300;        // [s]
        Step = 0.1;        // communication step [s]: events trigger at communication points
        Algorithm = MasterAlgorithm.GaussSeidel;
        Set("Controller.setpoint", 0.8);                 // a parameter or input before the run
        Record("Tank.level", "Controller.u");            // what goes into the result file (default: every output)

        // Events: At(t, action), When(condition, action), Every(period, action).
        At(150, () => Set("Controller.setpoint", 1.0), name: "setpoint step");

        // Faults on any signal (StuckAt, Bias, Drift, Noise, Dropout, Delay, Override), each with a start and an end.
        Bias(tank["level"], 0.02).From(200).For(20);     // the level sensor reads 2 cm high for 20 s

        // Assertions: judged on the recorded signals after the run; a failure names signal, time, value and bound.
        Assert.Reaches(tank["level"], 0.8, within: 120, tolerance: 0.02);
        Assert.OvershootBelow(tank["level"], 10, target: 1.0, from: 150);
        Assert.StaysWithin(tank["level"], 0, 1.5);
        """ + "\n";

    private static string RepoRoot()
    {
        // The checkout this cosim was built in (…/src/CoSim.Cli/bin/…), else the current folder.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CoSim.sln"))) return dir.FullName.Replace("\\", "/");
        return Environment.CurrentDirectory.Replace("\\", "/");
    }
}
