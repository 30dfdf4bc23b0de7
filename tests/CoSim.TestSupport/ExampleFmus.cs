namespace CoSim.TestSupport;

/// <summary>
/// Locates the project's example FMUs, built from C by <c>scripts/build-fmus</c> into
/// <c>build/fmus/fmi2</c> and <c>build/fmus/fmi3</c>. <c>COSIM_FMU_DIR</c> overrides the folder.
/// </summary>
public static class ExampleFmus
{
    /// <summary>The repository root: the nearest folder above the test binaries holding CoSim.sln.</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The folder that holds <c>fmi2/</c> and <c>fmi3/</c> with the built archives.</summary>
    public static string Folder =>
        Environment.GetEnvironmentVariable("COSIM_FMU_DIR") is { Length: > 0 } dir
            ? dir
            : System.IO.Path.Combine(RepoRoot, "build", "fmus");

    /// <summary>Path of a built example FMU, e.g. <c>Path(2, "Tank")</c>; fails the test clearly when it is missing.</summary>
    public static string Path(int fmiVersion, string model)
    {
        var path = System.IO.Path.Combine(Folder, $"fmi{fmiVersion}", model + ".fmu");
        if (!File.Exists(path))
            throw new FileNotFoundException(
                $"Example FMU '{path}' is not built. Run scripts/build-fmus (scripts/test does it for you).", path);
        return path;
    }

    /// <summary>Folder of an example model's sources (readme, reference CSV).</summary>
    public static string SourceFolder(string model) => System.IO.Path.Combine(RepoRoot, "fmus", model);

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "CoSim.sln")))
                return dir.FullName;
        throw new InvalidOperationException("CoSim.sln not found above " + AppContext.BaseDirectory);
    }
}
