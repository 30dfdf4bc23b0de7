namespace CoSim.TestSupport;

/// <summary>Locates the C# plugins the solution build puts into <c>build/plugins/NAME/NAME.dll</c> (plugins/, and the tests' own).</summary>
public static class ExamplePlugins
{
    /// <summary>Path of a built plugin assembly, e.g. <c>Path("CoSim.Plugins.Pid")</c>; fails the test clearly when it is missing.</summary>
    public static string Path(string project)
    {
        var path = System.IO.Path.Combine(ExampleFmus.RepoRoot, "build", "plugins", project, project + ".dll");
        if (!File.Exists(path))
            throw new FileNotFoundException($"Plugin '{path}' is not built. Build the solution (scripts/setup) or the plugin's project.", path);
        return path;
    }
}
