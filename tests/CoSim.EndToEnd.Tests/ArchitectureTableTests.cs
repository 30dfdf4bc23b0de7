using System.Xml.Linq;
using CoSim.TestSupport;

namespace CoSim.EndToEnd.Tests;

/// <summary>
/// docs/architecture.md's project table says what each project references; the <c>.csproj</c> files say what it
/// really does. Every project under src must have a row, every row a project, and each row must list exactly the
/// project's references: its project references without the <c>CoSim.</c> prefix and its package references by
/// package id, build-time-only packages (<c>PrivateAssets="all"</c>, e.g. a code generator) left out.
/// </summary>
public class ArchitectureTableTests
{
    private static string Root => ExampleFmus.RepoRoot;

    [Test]
    public void ProjectTable_AgainstTheCsprojFiles_Agrees()
    {
        var doc = File.ReadAllText(Path.Combine(Root, "docs", "architecture.md"));
        var projects = Directory.GetDirectories(Path.Combine(Root, "src")).SelectMany(d => Directory.GetFiles(d, "*.csproj"))
            .ToDictionary(p => Path.GetFileNameWithoutExtension(p), p => References(XDocument.Load(p)));

        var mismatches = Mismatches(doc, projects);

        if (mismatches.Count > 0) Assert.Fail("docs/architecture.md's project table disagrees with the .csproj files:\n  " + string.Join("\n  ", mismatches));
    }

    [Test]
    public void Mismatches_ARowThatMissesAReferenceOrAProjectWithoutARow_AreEachReported()
    {
        const string doc = """
            | project | references | role |
            |---|---|---|
            | CoSim.Core | - | contracts |
            | CoSim.Engine | Core | engine |
            | CoSim.Gone | Core | a project that no longer exists |
            """;
        var projects = new Dictionary<string, IReadOnlySet<string>>
        {
            ["CoSim.Core"] = new HashSet<string>(),
            ["CoSim.Engine"] = new HashSet<string> { "Core", "MathNet.Numerics" },
            ["CoSim.Calibration"] = new HashSet<string> { "Core" },
        };

        var mismatches = Mismatches(doc, projects);

        mismatches.ShouldBe([
            "CoSim.Calibration: no row in the table (its references: Core)",
            "CoSim.Engine: the table says 'Core', the .csproj 'Core, MathNet.Numerics' (missing from the table: MathNet.Numerics)",
            "CoSim.Gone: a row in the table, but no src/CoSim.Gone/CoSim.Gone.csproj",
        ], ignoreOrder: true);
    }

    [Test]
    public void References_ProjectsPackagesAndABuildTool_ProjectsShortPackagesByIdToolLeftOut()
    {
        var csproj = XDocument.Parse("""
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup>
                <ProjectReference Include="../CoSim.Core/CoSim.Core.csproj" />
                <PackageReference Include="Google.Protobuf" Version="3.36.2" />
                <PackageReference Include="Grpc.Tools" Version="2.85.0" PrivateAssets="all" />
                <InternalsVisibleTo Include="CoSim.Ml.Tests" />
              </ItemGroup>
            </Project>
            """);

        References(csproj).ShouldBe(["Core", "Google.Protobuf"], ignoreOrder: true);
    }

    /// <summary>What disagrees between the table in <paramref name="doc"/> and <paramref name="projects"/> (name -> references), one line each.</summary>
    private static List<string> Mismatches(string doc, IReadOnlyDictionary<string, IReadOnlySet<string>> projects)
    {
        var rows = Rows(doc);
        var problems = new List<string>();
        foreach (var (project, real) in projects.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!rows.TryGetValue(project, out var listed))
            {
                problems.Add($"{project}: no row in the table (its references: {Join(real)})");
                continue;
            }
            if (listed.SetEquals(real)) continue;
            var missing = real.Except(listed).ToList();
            var extra = listed.Except(real).ToList();
            problems.Add($"{project}: the table says '{Join(listed)}', the .csproj '{Join(real)}'" +
                         (missing.Count > 0 ? $" (missing from the table: {Join(missing)})" : "") +
                         (extra.Count > 0 ? $" (not referenced: {Join(extra)})" : ""));
        }
        foreach (var row in rows.Keys.Where(r => !projects.ContainsKey(r)).Order(StringComparer.Ordinal))
            problems.Add($"{row}: a row in the table, but no src/{row}/{row}.csproj");
        return problems;
    }

    /// <summary>The table's rows <c>| CoSim.X | A, B | role |</c>: project -> references (<c>-</c>: none).</summary>
    private static Dictionary<string, HashSet<string>> Rows(string doc)
    {
        var rows = new Dictionary<string, HashSet<string>>();
        foreach (var line in doc.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("| CoSim.", StringComparison.Ordinal)))
        {
            var cells = line.Split('|');
            var references = cells[2].Trim();
            rows[cells[1].Trim()] = references == "-"
                ? []
                : references.Split(',').Select(r => r.Trim()).Where(r => r.Length > 0).ToHashSet();
        }
        return rows;
    }

    /// <summary>A project's references as the table writes them.</summary>
    private static IReadOnlySet<string> References(XDocument csproj)
    {
        var projects = csproj.Descendants("ProjectReference")
            .Select(r => Path.GetFileNameWithoutExtension(((string)r.Attribute("Include")!).Replace('\\', '/')))
            .Select(name => name.StartsWith("CoSim.", StringComparison.Ordinal) ? name["CoSim.".Length..] : name);
        var packages = csproj.Descendants("PackageReference")
            .Where(r => !string.Equals((string?)r.Attribute("PrivateAssets") ?? (string?)r.Element("PrivateAssets"), "all", StringComparison.OrdinalIgnoreCase))
            .Select(r => (string)r.Attribute("Include")!);
        return projects.Concat(packages).ToHashSet();
    }

    private static string Join(IEnumerable<string> names) => string.Join(", ", names.Order(StringComparer.Ordinal));
}
