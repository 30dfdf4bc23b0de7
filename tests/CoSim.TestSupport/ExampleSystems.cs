using System.IO.Compression;
using System.Text.RegularExpressions;

namespace CoSim.TestSupport;

/// <summary>
/// Builds the example SSP systems (<c>examples/systems/NAME</c>, committed without FMUs) into an
/// <c>.ssp</c> archive with the built example FMUs, as <c>scripts/build-examples</c> does.
/// </summary>
public static class ExampleSystems
{
    public static string SourceFolder(string name) => Path.Combine(ExampleFmus.RepoRoot, "examples", "systems", name);

    /// <summary>Zips the example's folder plus its FMUs (FMI 2.0) into <paramref name="directory"/>/NAME.ssp and returns the path.</summary>
    public static string BuildSsp(string name, string directory)
    {
        var source = SourceFolder(name);
        var target = Path.Combine(directory, name + ".ssp");
        Directory.CreateDirectory(directory);
        using var zip = ZipFile.Open(target, ZipArchiveMode.Create);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories).Order())
            zip.CreateEntryFromFile(file, Path.GetRelativePath(source, file).Replace('\\', '/'));
        var ssd = File.ReadAllText(Path.Combine(source, "SystemStructure.ssd"));
        foreach (var model in Regex.Matches(ssd, "source=\"resources/([^\"/]+)\\.fmu\"").Select(m => m.Groups[1].Value).Distinct())
            zip.CreateEntryFromFile(ExampleFmus.Path(2, model), $"resources/{model}.fmu");
        return target;
    }
}
