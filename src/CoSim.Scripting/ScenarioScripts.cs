using CoSim.Core;
using CoSim.Core.Archives;
using CoSim.Scenarios;

namespace CoSim.Scripting;

/// <summary>Scenario scripts: the script host set up for <see cref="Scenario"/> globals, and running a compiled scenario.</summary>
public static class ScenarioScripts
{
    /// <summary>Namespaces a scenario script imports without <c>using</c>.</summary>
    public static readonly IReadOnlyList<string> Imports =
        ["System", "System.Linq", "System.Collections.Generic", "System.IO", "CoSim.Scenarios", "CoSim.Engine.Execution", "CoSim.Core.Assessment", "CoSim.Assessment",
         "CoSim.Core", "CoSim.Plugins.Sdk"]; // the last two: inline C# components (PluginComponent, VariableRole)

    /// <summary>A host that compiles scenario scripts, caching them in <paramref name="cacheRoot"/> (default <c>~/.cache/cosim/scripts</c>; null: no cache).</summary>
    public static ScriptHost Host(ILogSink log, string? cacheRoot = "") => new(new ScriptHostOptions(typeof(Scenario))
    {
        Imports = Imports,
        References = [typeof(Engine.Specification.RunSpecification).Assembly, typeof(Core.Assessment.AssertionResult).Assembly, typeof(Plugins.Sdk.PluginComponent).Assembly],
        CacheRoot = cacheRoot == "" ? PackageCache.DefaultRoot("scripts") : cacheRoot,
        Log = log,
    });

    /// <summary>Builds the scenario by running the script's code against a fresh <see cref="Scenario"/> (once per run or sweep case).</summary>
    public static Func<ScenarioContext, Scenario> Builder(CompiledScript script) => context =>
    {
        var scenario = new Scenario(context);
        script.Run(scenario);
        return scenario;
    };

    /// <summary>Run options named after the script, with its folder as the base of relative paths (a <c>#load</c>ed file's own folder for its code).</summary>
    public static ScenarioRunOptions Options(CompiledScript script) =>
        new(Path.GetFileNameWithoutExtension(script.Path), Path.GetDirectoryName(script.Path)!) { LoadsFiles = script.Sources.Count > 1 };

    /// <summary>
    /// The exit code of a scenario that was built and ran: 0 it passed, 1 an assertion failed or the run failed,
    /// 2 it could not run (bad names, files, settings).
    /// </summary>
    public static int ExitCode(ScenarioOutcome outcome) =>
        outcome.Failure is InputException || outcome.Cases.Any(c => c.Failure is InputException) ? 2 : outcome.Passed ? 0 : 1;
}
