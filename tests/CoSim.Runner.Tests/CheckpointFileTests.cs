using CoSim.Core;
using CoSim.Engine.Specification;
using CoSim.Runner.Checkpoints;
using CoSim.TestSupport;

namespace CoSim.Runner.Tests;

/// <summary>The checkpoint file of a real run (the Tank FMU): manifest, atomic write, damage and foreign files refused with the reason.</summary>
public class CheckpointFileTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("cosim-ckpt-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    private string RunWithCheckpoints()
    {
        var spec = new RunSpecification { Name = "tank", Stop = 10, Step = 0.5 };
        spec.Components.Add(new ComponentSpec(new ComponentRequest("Tank", ExampleFmus.Path(2, "Tank"), "fmu")));
        var ck = Path.Combine(_dir, "ck");
        var result = new RunSession(spec)
        {
            Overrides = RunOverrides.None with { Output = Path.Combine(_dir, "tank.csv"), CheckpointEvery = 4, CheckpointDirectory = ck },
            CommandLine = ["cosim", "simulate", "Tank.fmu"],
        }.Run();
        result.Failure.ShouldBeNull();
        result.Summary.ShouldContain(l => l.StartsWith("checkpoints: 2 written to " + ck, StringComparison.Ordinal));
        string.Join(" ", Directory.GetFiles(ck).Select(Path.GetFileName).Order()).ShouldBe("t=4.ckpt t=8.ckpt", "written atomically: no temporary file is left");
        return Path.Combine(ck, "t=4.ckpt");
    }

    [Test]
    public void Read_CheckpointOfARun_ManifestSaysTimeStepBuildAndRun()
    {
        var (manifest, checkpoint) = CheckpointFile.Read(RunWithCheckpoints());

        manifest.Time.ShouldBe(4);
        manifest.StepIndex.ShouldBe(8);
        manifest.Build.ShouldBe(CheckpointFile.BuildId);
        manifest.Run.Arguments.ShouldBe(["simulate", "Tank.fmu"]);
        manifest.Run.Components.Single().Sha256.ShouldBe(Provenance.Sha256Of(ExampleFmus.Path(2, "Tank")));
        checkpoint!.Time.ShouldBe(SimTime.FromSeconds(4));
        checkpoint.Components.Single().Name.ShouldBe("Tank");
        checkpoint.Components.Single().Data.Length.ShouldBeGreaterThan(8, "the FMU's serialized state");
        CheckpointFile.Refusal("t=4.ckpt", manifest).ShouldBeNull();
    }

    [Test]
    public void Read_DamagedOrForeignFile_RefusedSayingWhy()
    {
        var path = RunWithCheckpoints();
        var bytes = File.ReadAllBytes(path);
        bytes[^3] ^= 0xFF;
        File.WriteAllBytes(Path.Combine(_dir, "damaged.ckpt"), bytes);
        File.WriteAllBytes(Path.Combine(_dir, "truncated.ckpt"), File.ReadAllBytes(path)[..^10]);
        File.WriteAllText(Path.Combine(_dir, "other.ckpt"), "time,x\n0,1\n");

        Should.Throw<InputException>(() => CheckpointFile.Read(Path.Combine(_dir, "damaged.ckpt"))).Message.ShouldContain("the checkpoint is damaged");
        Should.Throw<InputException>(() => CheckpointFile.Read(Path.Combine(_dir, "truncated.ckpt"))).Message.ShouldContain("the checkpoint is damaged");
        Should.Throw<InputException>(() => CheckpointFile.Read(Path.Combine(_dir, "other.ckpt"))).Message.ShouldContain("not a CoSim checkpoint");
    }
}
