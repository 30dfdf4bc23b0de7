using CoSim.Core;

namespace CoSim.Scripting.Tests;

/// <summary>
/// The directive scanner on hostile scripts (scripts/fuzz script-directives, docs/security.md): a NUL character in a
/// <c>#load</c> path made Path.GetFullPath throw ArgumentException out of the scanner; a <c>#load</c> of a device read
/// forever. Both are now answered: the first is left to the compiler, the second refused naming the directive.
/// </summary>
public class ScriptDirectivesTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("cosim-directives-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    [Test]
    public void Closure_LoadPathWithNulCharacter_IsNoFileAndDoesNotThrow()
    {
        var script = Path.Combine(_dir, "main.csx");
        File.WriteAllText(script, "#load \"helpers\0.csx\"\n#r \"x\0.dll\"\nvar a = 1;\n");

        var (files, directives) = ScriptDirectives.Closure(script);

        files.ShouldHaveSingleItem().Path.ShouldBe(script);
        directives.Count.ShouldBe(2);
        directives.ShouldAllBe(d => d.ResolvedPath == null);
    }

    [Test]
    public void Closure_LoadOfAnEndlessDevice_IsRefusedNamingTheDirective()
    {
        if (!File.Exists("/dev/zero")) Assert.Ignore("no /dev/zero here");
        var script = Path.Combine(_dir, "main.csx");
        File.WriteAllText(script, "var a = 1;\n#load \"/dev/zero\"\n");

        var e = Should.Throw<InputException>(() => ScriptDirectives.Closure(script));

        e.Message.ShouldBe($"{script}:2:1: #load \"/dev/zero\": /dev/zero is larger than 16 MiB: not a script");
    }
}
