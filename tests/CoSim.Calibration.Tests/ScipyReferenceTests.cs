using System.Diagnostics;
using System.Text.Json;
using CoSim.Core;

namespace CoSim.Calibration.Tests;

/// <summary>
/// Acceptance: the same optimum as scipy's <c>least_squares</c> (Debian's python3-scipy, driving the
/// same FMU through its own ctypes FMI 2 binding, Reference/scipy_fit.py) of the same problem.
/// </summary>
[TestFixture]
public sealed class ScipyReferenceTests
{
    private string _folder = null!;

    [SetUp]
    public void SetUp() => _folder = Directory.CreateTempSubdirectory("calibration-scipy-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void Run_TankWithStartLevel_SameOptimumAsScipyLeastSquares()
    {
        var truth = new Dictionary<string, double> { ["area"] = 0.6, ["outletCoefficient"] = 0.04, ["h0"] = 0.3 };
        var data = SyntheticData.Write(_folder, "tank.csv", SyntheticData.Tank, truth, ["level"], 0.1, 100, 0.005, seed: 11);
        string[] parameters = ["area=0.1..2@1", "outletCoefficient=0.005..0.2@0.08", "h0=0..1@0.6"];

        var ours = Calibrator.Run(RecoveryTests.TankSettings([data], parameters), NullLogSink.Instance);
        var scipy = Scipy(data, 0.1, [("level", "level", 0.005)], parameters.Select(p => ParameterSpec.Parse(p)).ToList());

        ours.Converged.ShouldBeTrue(ours.Message);
        var x = scipy.GetProperty("x").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        for (var j = 0; j < x.Length; j++)
            (Math.Abs(ours.Parameters[j].Value - x[j]) / Math.Abs(x[j])).ShouldBeLessThan(1e-6, $"{ours.Parameters[j].Name}: ours {ours.Parameters[j].Value:R}, scipy {x[j]:R}");
        (Math.Abs(ours.Cost - scipy.GetProperty("cost").GetDouble()) / ours.Cost).ShouldBeLessThan(1e-9);
    }

    /// <summary>Runs Reference/scipy_fit.py under Debian's /usr/bin/python3 on the same problem and returns its JSON.</summary>
    internal static JsonElement Scipy(string data, double step, IReadOnlyList<(string Output, string Column, double Sigma)> fits, IReadOnlyList<ParameterSpec> parameters)
    {
        var config = Path.Combine(Path.GetDirectoryName(data)!, "scipy.json");
        File.WriteAllText(config, JsonSerializer.Serialize(new
        {
            fmu = SyntheticData.Tank,
            data,
            step,
            outputs = fits.Select(f => new { name = f.Output, column = f.Column, sigma = f.Sigma }),
            @params = parameters.Select(p => new { name = p.Name, lo = p.Lower, hi = p.Upper, start = p.Start }),
        }));
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Reference", "scipy_fit.py"));
        psi.ArgumentList.Add(config);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(3))) p.Kill(entireProcessTree: true);
        p.WaitForExit();
        p.ExitCode.ShouldBe(0, stderr.Result);
        return JsonDocument.Parse(stdout.Result).RootElement;
    }
}
