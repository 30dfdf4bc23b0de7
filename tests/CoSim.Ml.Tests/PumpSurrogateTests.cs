using System.Globalization;
using System.Text;
using CoSim.TestSupport;

namespace CoSim.Ml.Tests;

/// <summary>
/// The example end to end through the CLI: simulate the Pump FMU on a swept input, fit a surrogate on
/// its own result, run TankLoop with the surrogate in place of the FMU, compare the tank level.
/// </summary>
public class PumpSurrogateTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("cosim-pump-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    /// <summary>Valve (0.1..1) and voltage (200..240 V) held for 5 s at seeded random levels (a repeated time stamp is a jump).</summary>
    private string WriteSweep(int levels)
    {
        var rng = new Random(7);
        var sb = new StringBuilder("time,valve,voltage\n");
        double valve = 0.5, voltage = 230;
        sb.AppendLine($"0,{valve},{voltage}");
        for (var k = 1; k <= levels; k++)
        {
            var t = 5.0 * k;
            sb.AppendLine(FormattableString.Invariant($"{t},{valve},{voltage}"));
            valve = Math.Round(0.1 + 0.9 * rng.NextDouble(), 4); // the FMU's explicit solver diverges when a nearly closed valve stops a fast flow
            voltage = Math.Round(200 + 40 * rng.NextDouble(), 2);
            sb.AppendLine(FormattableString.Invariant($"{t},{valve},{voltage}"));
        }
        var path = Path.Combine(_dir, "sweep.csv");
        File.WriteAllText(path, sb.ToString());
        return path;
    }

    private static CosimResult Cosim(string dir, params string[] args)
    {
        var r = CosimProcess.Run(dir, args);
        r.ExitCode.ShouldBe(0, r.ToString());
        return r;
    }

    [Test]
    public void TankLoop_PumpReplacedByItsSurrogate_LevelFollowsTheFmuRun()
    {
        Cosim(_dir, "simulate", ExampleFmus.Path(2, "Pump"), "--input", WriteSweep(120), "--stop", "600", "--step", "1",
            "--record", "valve", "--record", "voltage", "--record", "flowRate", "-o", "pump.csv");
        var fit = Cosim(_dir, "surrogate", "fit", "pump.csv", "--inputs", "valve,voltage", "--outputs", "flowRate", "--skip-rows", "1",
            "--hidden", "16,16", "--epochs", "150", "-o", "pump.onnx");
        var rmse = double.Parse(fit.StdOut.Split("flowRate: ")[1].Split(' ')[0], CultureInfo.InvariantCulture);
        rmse.ShouldBeLessThan(1.0, fit.StdOut); // l/min, on flows up to ~110 l/min

        var ssp = ExampleSystems.BuildSsp("TankLoop", _dir);
        Cosim(_dir, "run", ssp, "-o", "fmu.csv");
        Cosim(_dir, "run", ssp, "--replace", "Pump=pump.onnx", "-o", "surrogate.csv");
        var fmu = ResultCsv.Load(Path.Combine(_dir, "fmu.csv"));
        var surrogate = ResultCsv.Load(Path.Combine(_dir, "surrogate.csv"));
        surrogate.Times.ShouldBe(fmu.Times);
        var a = fmu.Values("Tank.level");
        var b = surrogate.Values("Tank.level");
        var error = a.Zip(b, (x, y) => Math.Abs(x - y)).ToArray();
        // The FMU's pump starts from rest (no flow in the first step), the static surrogate delivers its
        // steady flow at once: the levels differ by ~0.12 m after the first step, and the loop then pulls them together.
        error.Max().ShouldBeLessThan(0.15, "m of tank level (0.1 m rising to the 1 m setpoint)");
        error.Where((_, i) => fmu.Times[i] >= 60).Max().ShouldBeLessThan(0.015, "m of tank level after 60 s");
        error.Where((_, i) => fmu.Times[i] >= 120).Max().ShouldBeLessThan(1e-3, "m of tank level after 120 s");
        b[^1].ShouldBe(1.0, 1e-3); // the loop settles at the setpoint with the surrogate too

        // The same system written as an SSP whose Pump is the ONNX model itself: the same result, byte for byte.
        var folder = Path.Combine(_dir, "TankLoopOnnx");
        var source = ExampleSystems.SourceFolder("TankLoop");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(folder, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        var ssd = Path.Combine(folder, "SystemStructure.ssd");
        File.WriteAllText(ssd, File.ReadAllText(ssd).Replace(
            "source=\"resources/Pump.fmu\" type=\"application/x-fmu-sharedlibrary\"", "source=\"resources/pump.onnx\" type=\"application/x-cosim-onnx\""));
        File.Copy(Path.Combine(_dir, "pump.onnx"), Path.Combine(folder, "resources", "pump.onnx"));
        foreach (var model in new[] { "PIController", "Tank" }) File.Copy(ExampleFmus.Path(2, model), Path.Combine(folder, "resources", model + ".fmu"));
        Cosim(_dir, "validate", "pump.onnx").StdOut.ShouldContain("pump.onnx: can run (2 inputs, 1 output; ONNX model");
        Cosim(_dir, "run", folder, "-o", "ssp-onnx.csv");
        File.ReadAllBytes(Path.Combine(_dir, "ssp-onnx.csv")).ShouldBe(File.ReadAllBytes(Path.Combine(_dir, "surrogate.csv")));
    }

    [Test]
    public void Validate_BrokenOnnxFile_CannotRunNamingTheFile()
    {
        File.WriteAllText(Path.Combine(_dir, "broken.onnx"), "not a model");
        var r = CosimProcess.Run(_dir, "validate", "broken.onnx");
        r.ExitCode.ShouldBe(1, r.ToString());
        r.StdOut.ShouldContain("error: broken.onnx: not a model OnnxRuntime can load");
        r.StdOut.ShouldContain("broken.onnx: cannot run (1 error)");
    }

    [Test]
    public void Run_ReplaceOfAnUnknownComponent_IsOneLineBadInput()
    {
        var ssp = ExampleSystems.BuildSsp("TankLoop", _dir);
        File.WriteAllText(Path.Combine(_dir, "m.onnx"), "");
        var r = CosimProcess.Run(_dir, "run", ssp, "--replace", "Pomp=m.onnx");
        r.ExitCode.ShouldBe(2, r.ToString());
        r.StdErr.Trim().ShouldBe("error: --replace Pomp=m.onnx: no component 'Pomp' (have: Controller, Pump, Tank)");
    }
}
