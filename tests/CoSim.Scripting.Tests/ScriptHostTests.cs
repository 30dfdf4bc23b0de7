using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace CoSim.Scripting.Tests;

public class ScriptHostTests
{
    private string _dir = null!;
    private string _cache = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("cosim-script-").FullName;
        _cache = Path.Combine(_dir, "cache");
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private ScriptHost Host(string? cache = "") => new(new ScriptHostOptions(typeof(TestGlobals)) { CacheRoot = cache == "" ? _cache : cache });

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    [Test]
    public void Load_ScriptUsingGlobals_RunsAgainstTheGlobalsObject()
    {
        var path = Write("a.csx", "Stop = 100;\nReport(new[] { 1, 2, 3 }.Sum());\nAt(5, () => Report(\"late\"));\n");
        var globals = new TestGlobals();

        Host().Load(path).Run(globals);

        globals.Stop.ShouldBe(100);
        globals.Seen.ShouldBe([6]);
        globals.Actions.Single()();
        globals.Seen.ShouldBe([6, "late"]);
    }

    [Test]
    public void Load_SharedFileLoadedRelativeToTheScript_ItsDefinitionsAreVisible()
    {
        Write("lib/shared.csx", "double Twice(double x) => 2 * x;\n");
        var path = Write("sub/a.csx", "#load \"../lib/shared.csx\"\nStop = Twice(21);\n");
        var globals = new TestGlobals();

        Host().Load(path).Run(globals);

        globals.Stop.ShouldBe(42);
    }

    [Test]
    public void Load_CompileErrors_AllReportedWithPositionsInTheUsersFile()
    {
        var path = Write("bad.csx", "Stop = 1;\nvar x = undefinedThing;\n  Stop = \"text\";\n");

        var error = Should.Throw<ScriptCompilationException>(() => Host().Load(path));

        error.Errors.Count.ShouldBe(2);
        error.Errors[0].ShouldBe($"{path}:2:9: error CS0103: The name 'undefinedThing' does not exist in the current context");
        error.Errors[1].ShouldStartWith($"{path}:3:10: error CS0029: ");
    }

    [Test]
    public void Load_CompileErrorInLoadedFile_ReportedAtTheLoadedFile()
    {
        var shared = Write("shared.csx", "// helpers\ndouble Half(double x) => x / two;\n");
        var path = Write("main.csx", "#load \"shared.csx\"\nStop = Half(4);\n");

        var error = Should.Throw<ScriptCompilationException>(() => Host().Load(path));

        error.Errors.ShouldHaveSingleItem().ShouldStartWith($"{shared}:2:30: error CS0103: The name 'two'");
    }

    [Test]
    public void Load_MissingLoadedFile_ReportedAtTheDirective()
    {
        var path = Write("main.csx", "// first\n#load \"nowhere.csx\"\nStop = 1;\n");

        var error = Should.Throw<ScriptCompilationException>(() => Host().Load(path));

        error.Errors.ShouldHaveSingleItem().ShouldStartWith($"{path}:2:7: error CS1504: Source file");
        error.Errors[0].ShouldContain("nowhere.csx");
    }

    [Test]
    public void Load_NuGetReference_RefusedWithItsPlace()
    {
        var path = Write("main.csx", "// uses a package\n#r \"nuget: Newtonsoft.Json, 13.0.3\"\nStop = 1;\n");

        var error = Should.Throw<ScriptCompilationException>(() => Host().Load(path));

        error.Errors.ShouldHaveSingleItem().ShouldStartWith($"{path}:2:1: error COSIM01: #r \"nuget: Newtonsoft.Json, 13.0.3\": NuGet references are not supported");
    }

    [Test]
    public void Load_ReferenceToLocalAssembly_ScriptCallsIt()
    {
        var library = Path.Combine(_dir, "libs", "Gains.dll");
        BuildLibrary(library, "Gains", "namespace Gains { public static class Table { public static double Kp(int i) => 0.5 * i; } }");
        var path = Write("main.csx", "#r \"libs/Gains.dll\"\nStop = Gains.Table.Kp(8);\n");
        var globals = new TestGlobals();

        Host().Load(path).Run(globals);

        globals.Stop.ShouldBe(4);
    }

    [Test]
    public void Run_ExceptionInTopLevelCode_LocatedAtTheScriptLine()
    {
        var path = Write("main.csx", "Stop = 1;\n\nConnect(\"Tank\", \"Pump.level\");\n");
        var script = Host().Load(path);

        var error = Should.Throw<ArgumentException>(() => script.Run(new TestGlobals()));

        ScriptErrors.Locate(error).ShouldBe(new ScriptLocation(path, 3, 1));
        ScriptErrors.Describe(error).ShouldBe($"{path}:3: error: 'Tank' is not Component.variable");
    }

    [Test]
    public void Run_ExceptionInsideActionRunLater_LocatedAtTheLineInsideTheAction()
    {
        Write("shared.csx", "void Check(double v)\n{\n    if (v > 1) throw new InvalidOperationException($\"level {v} too high\");\n}\n");
        var path = Write("main.csx", "#load \"shared.csx\"\nAt(10, () =>\n{\n    Check(0.5);\n    Check(2);\n});\n");
        var globals = new TestGlobals();
        Host().Load(path).Run(globals);

        // The engine wraps what an action throws; the location survives the wrapping.
        var error = Should.Throw<Exception>(() =>
        {
            try
            {
                globals.Actions.Single()();
            }
            catch (Exception e)
            {
                throw new CoSim.Core.SimulationException("event action failed", operation: "At(10)", inner: e);
            }
        });

        ScriptErrors.Locate(error).ShouldBe(new ScriptLocation(Path.Combine(_dir, "shared.csx"), 3, 16));
        ScriptErrors.Describe(error).ShouldBe($"{Path.Combine(_dir, "shared.csx")}:3: error: At(10): event action failed: level 2 too high");
    }

    [Test]
    public void Load_SecondHostSameScript_LoadedFromCacheWithoutCompiling()
    {
        var path = Write("main.csx", "Stop = 7;\n");
        var first = Host();
        first.Load(path).FromCache.ShouldBeFalse();

        var second = Host();
        var script = second.Load(path);

        script.FromCache.ShouldBeTrue();
        second.Compilations.ShouldBe(0);
        var globals = new TestGlobals();
        script.Run(globals);
        globals.Stop.ShouldBe(7);
        Directory.GetDirectories(_cache).ShouldHaveSingleItem();
    }

    /// <summary>An entry unused for longer than the retention goes when another script is compiled; one used lately stays.</summary>
    [Test]
    public void Load_NewScript_PrunesEntriesUnusedForLongerThanTheRetention()
    {
        var old = Write("old.csx", "Stop = 1;\n");
        var recent = Write("recent.csx", "Stop = 2;\n");
        Host().Load(old);
        Host().Load(recent);
        var entries = Directory.GetDirectories(_cache);
        entries.Length.ShouldBe(2);
        Directory.SetLastWriteTimeUtc(entries[0], DateTime.UtcNow - Core.Archives.PackageCache.Retention - TimeSpan.FromDays(1));
        Directory.SetLastWriteTimeUtc(entries[1], DateTime.UtcNow - TimeSpan.FromDays(1));
        var expired = entries[0];

        Host().Load(Write("new.csx", "Stop = 3;\n"));

        Directory.Exists(expired).ShouldBeFalse("unused for longer than the retention");
        Directory.Exists(entries[1]).ShouldBeTrue("used a day ago");
        Directory.GetDirectories(_cache).Length.ShouldBe(2);
    }

    [Test]
    public void Load_LoadedFileChanged_CacheInvalidatedAndNewCodeRuns()
    {
        var shared = Write("shared.csx", "const double Gain = 2;\n");
        var path = Write("main.csx", "#load \"shared.csx\"\nStop = Gain;\n");
        Host().Load(path);
        File.WriteAllText(shared, "const double Gain = 3;\n");

        var host = Host();
        var script = host.Load(path);

        script.FromCache.ShouldBeFalse();
        host.Compilations.ShouldBe(1);
        var globals = new TestGlobals();
        script.Run(globals);
        globals.Stop.ShouldBe(3);
    }

    [Test]
    public void Load_NestedLoadedFileChanged_CacheInvalidated()
    {
        var inner = Write("inner.csx", "const double Gain = 2;\n");
        Write("outer.csx", "#load \"inner.csx\"\n");
        var path = Write("main.csx", "#load \"outer.csx\"\nStop = Gain;\n");
        Host().Load(path);
        File.WriteAllText(inner, "const double Gain = 5;\n");

        var script = Host().Load(path);

        script.FromCache.ShouldBeFalse();
        var globals = new TestGlobals();
        script.Run(globals);
        globals.Stop.ShouldBe(5);
    }

    [Test]
    public void Load_ReferencedAssemblyRebuilt_CacheInvalidated()
    {
        var library = Path.Combine(_dir, "Gains.dll");
        BuildLibrary(library, "Gains", "namespace Gains { public static class Table { public static double Kp => 1; } }");
        var path = Write("main.csx", "#r \"Gains.dll\"\nStop = Gains.Table.Kp;\n");
        Host().Load(path);
        BuildLibrary(library, "Gains", "namespace Gains { public static class Table { public static double Kp => 9; } }");

        Host().Load(path).FromCache.ShouldBeFalse();
    }

    [Test]
    public void Load_NoCache_CompilesEveryTime()
    {
        var path = Write("main.csx", "Stop = 1;\n");
        var host = Host(cache: null);

        host.Load(path);
        host.Load(path);

        host.Compilations.ShouldBe(2);
        Directory.Exists(_cache).ShouldBeFalse();
    }

    [Test]
    public void Load_MissingScript_InputError()
    {
        Should.Throw<CoSim.Core.InputException>(() => Host().Load(Path.Combine(_dir, "none.csx"))).Message.ShouldContain("no such script");
    }

    /// <summary>A real class library on disk, compiled here so that nothing binary is committed.</summary>
    private static void BuildLibrary(string path, string name, string code)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var compilation = CSharpCompilation.Create(name, [CSharpSyntaxTree.ParseText(code)],
            [MetadataReference.CreateFromFile(typeof(object).Assembly.Location), MetadataReference.CreateFromFile(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "System.Runtime.dll"))],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var result = compilation.Emit(path);
        result.Success.ShouldBeTrue(string.Join("\n", result.Diagnostics));
    }
}
