using CoSim.TestSupport;

namespace CoSim.EndToEnd.Tests;

/// <summary>
/// Argument errors through the real CLI: one line on stderr saying what is wrong, exit code 2, no help
/// text, no stack trace, nothing on stdout.
/// </summary>
public class CliErrorTests
{
    private string _dir = "";
    private string _ssp = "";
    private string _fmu = "";

    [OneTimeSetUp]
    public void Prepare()
    {
        _dir = Path.Combine(Path.GetTempPath(), "cosim-cli-" + Guid.NewGuid().ToString("N"));
        _ssp = ExampleSystems.BuildSsp("FeedthroughChain", _dir);
        _fmu = ExampleFmus.Path(2, "Feedthrough");
        File.WriteAllText(Path.Combine(_dir, "valve-time.csv"), "valve,time\n0.5,0\n0.5,1\n");
    }

    [OneTimeTearDown]
    public void Clean() => Directory.Delete(_dir, recursive: true);

    private static void ShouldBeOneLineBadInput(CosimResult run, params string[] expected)
    {
        run.ExitCode.ShouldBe(2, run.ToString());
        run.StdOut.ShouldBeEmpty(run.ToString());
        var lines = run.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(1, run.ToString());
        lines[0].ShouldStartWith("error: ");
        foreach (var e in expected) lines[0].ShouldContain(e, Case.Insensitive, run.ToString());
        lines[0].ShouldNotContain("System.");
    }

    // {fmu}/{ssp} stand for the example FMU and system.
    [TestCase("simulate {fmu} --step abc", "--step 'abc'", "see 'cosim simulate --help'")]
    [TestCase("run {ssp} --step abc", "--step 'abc'", "see 'cosim run --help'")]
    [TestCase("simulate {fmu} --no-such-option", "--no-such-option", "see 'cosim simulate --help'")]
    [TestCase("run {ssp} --algorithm foo", "'foo'", "jacobi")]
    [TestCase("run {ssp} --threads many", "--threads 'many'")]
    [TestCase("info", "'FMU' missing", "see 'cosim info --help'")]
    [TestCase("frobnicate", "frobnicate", "see 'cosim --help'")]
    [TestCase("simulate {fmu} --stop 1e300", "stop time", "out of range")]
    [TestCase("run {ssp} --stop 1e300", "stop time", "out of range")]
    [TestCase("simulate {fmu} -o {dir}", "--output", "is a folder")]
    [TestCase("run {ssp} -o {dir}", "--output", "is a folder")]
    [TestCase("simulate {fmu} -o {dir}/missing/out.csv", "--output", "does not exist")]
    [TestCase("simulate {fmu} --input {dir}/valve-time.csv", "valve-time.csv:1", "the first column must be time")]
    [TestCase("simulate {fmu} --step -0.1", "step size -0.1 must be positive")]
    [TestCase("simulate {fmu} --step 0", "step size 0 must be positive")]
    [TestCase("run {ssp} --step -1", "step size -1 must be positive")]
    [TestCase("simulate {fmu} --start 2 --stop 1", "stop time 1 must be after start time 2")]
    [TestCase("run {ssp} --start 2 --stop 1", "stop time 1 must be after start time 2")]
    [TestCase("run {ssp} --coupling-tolerance 0.1", "--coupling-tolerance applies to --algorithm variable")]
    [TestCase("run {ssp} --tolerance -1", "--tolerance -1", "positive")]
    public void Command_BadArgument_OneLineAndExit2(string commandLine, params string[] expected)
    {
        var args = commandLine.Split(' ').Select(a => a.Replace("{fmu}", _fmu).Replace("{ssp}", _ssp).Replace("{dir}", _dir)).ToArray();

        ShouldBeOneLineBadInput(CosimProcess.Run(_dir, args), expected);
    }

    [Test]
    public void Help_StillPrintsHelp_WithExit0()
    {
        var run = CosimProcess.Run(_dir, "run", "--help");

        run.ExitCode.ShouldBe(0, run.ToString());
        run.StdOut.ShouldContain("--coupling-tolerance");
        run.StdOut.ShouldContain("--gs-hold");
    }
}
