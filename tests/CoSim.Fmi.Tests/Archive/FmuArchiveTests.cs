using System.IO.Compression;
using System.Text;
using CoSim.Core;
using CoSim.Fmi.Archive;

namespace CoSim.Fmi.Tests.Archive;

public class FmuArchiveTests
{
    private const string MinimalDescription =
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <fmiModelDescription fmiVersion="2.0" modelName="M" guid="{1}">
          <CoSimulation modelIdentifier="M"/>
          <ModelVariables>
            <ScalarVariable name="x" valueReference="0" causality="output"><Real/></ScalarVariable>
          </ModelVariables>
          <ModelStructure><Outputs><Unknown index="1"/></Outputs></ModelStructure>
        </fmiModelDescription>
        """;

    private string _dir = "";
    private string _cache = "";

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("cosim-archive-").FullName;
        _cache = Path.Combine(_dir, "cache");
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    private string Zip(string name, params (string Entry, string Content)[] entries)
    {
        var path = Path.Combine(_dir, name);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (entry, content) in entries)
        {
            using var s = zip.CreateEntry(entry).Open();
            s.Write(Encoding.UTF8.GetBytes(content));
        }
        return path;
    }

    [Test]
    public void Open_ValidArchive_ExtractsOnceIntoCacheKeyedByContent()
    {
        var path = Zip("ok.fmu", ("modelDescription.xml", MinimalDescription), ("resources/data.txt", "1"));
        var first = FmuArchive.Open(path, _cache);
        var second = FmuArchive.Open(path, _cache);
        second.Folder.ShouldBe(first.Folder);
        File.ReadAllText(Path.Combine(first.ResourcesFolder, "data.txt")).ShouldBe("1");
        Directory.GetDirectories(_cache).Length.ShouldBe(1); // no staging folder left behind
        first.Model.ModelName.ShouldBe("M");
    }

    [Test]
    public void Open_NewArchive_PrunesCacheEntriesUnusedForLong()
    {
        var stale = Directory.CreateDirectory(Path.Combine(_cache, "0123456789abcdef0123456789abcdef")).FullName;
        Directory.SetLastWriteTimeUtc(stale, DateTime.UtcNow - CoSim.Core.Archives.PackageCache.Retention - TimeSpan.FromDays(1));
        var recent = Directory.CreateDirectory(Path.Combine(_cache, "fedcba9876543210fedcba9876543210")).FullName;
        FmuArchive.Open(Zip("ok.fmu", ("modelDescription.xml", MinimalDescription)), _cache);
        Directory.Exists(stale).ShouldBeFalse();
        Directory.Exists(recent).ShouldBeTrue();
    }

    [TestCase("../evil.txt")]
    [TestCase("resources/../../evil.txt")]
    [TestCase("/tmp/evil.txt")]
    public void Open_EntryEscapingFolder_RejectedAndNothingWrittenOutside(string entry)
    {
        var path = Zip("slip.fmu", ("modelDescription.xml", MinimalDescription), (entry, "x"));
        var e = Should.Throw<InputException>(() => FmuArchive.Open(path, _cache));
        e.Message.ShouldContain("unsafe entry");
        File.Exists(Path.Combine(_dir, "evil.txt")).ShouldBeFalse();
        File.Exists(Path.Combine(_cache, "evil.txt")).ShouldBeFalse();
        Directory.GetFileSystemEntries(_cache).ShouldBeEmpty(); // the staging folder was cleaned up
    }

    [Test]
    public void Open_SymbolicLinkEntry_Rejected()
    {
        var path = Path.Combine(_dir, "link.fmu");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using (var s = zip.CreateEntry("modelDescription.xml").Open()) s.Write(Encoding.UTF8.GetBytes(MinimalDescription));
            var link = zip.CreateEntry("resources/passwd");
            link.ExternalAttributes = unchecked((int)(0xA1FFu << 16)); // S_IFLNK | 0777
            using var ls = link.Open();
            ls.Write("/etc/passwd"u8);
        }
        Should.Throw<InputException>(() => FmuArchive.Open(path, _cache)).Message.ShouldContain("symbolic link");
    }

    [Test]
    public void Open_NotAZip_ClearError()
    {
        var path = Path.Combine(_dir, "text.fmu");
        File.WriteAllText(path, "this is not a zip");
        Should.Throw<InputException>(() => FmuArchive.Open(path, _cache)).Message.ShouldContain("not a zip archive");
    }

    [Test]
    public void Open_NoModelDescription_ClearError()
    {
        var path = Zip("empty.fmu", ("resources/a.txt", "a"));
        Should.Throw<InputException>(() => FmuArchive.Open(path, _cache)).Message.ShouldContain("no modelDescription.xml");
    }

    [Test]
    public void Open_MissingFile_ClearError() =>
        Should.Throw<InputException>(() => FmuArchive.Open(Path.Combine(_dir, "nope.fmu"), _cache)).Message.ShouldContain("no such file");

    [Test]
    public void BinaryPath_NoBinaryForPlatform_ListsPlatformsTheArchiveHas()
    {
        var path = Zip("win.fmu", ("modelDescription.xml", MinimalDescription), ("binaries/win64/M.dll", "MZ"));
        var archive = FmuArchive.Open(path, _cache);
        var e = Should.Throw<InputException>(() => archive.BinaryPath("M"));
        e.Message.ShouldContain("no binary for this platform (linux64/M.so)");
        e.Message.ShouldContain("win64");
    }

    [Test]
    public void Load_BinaryThatIsNotALibrary_ShowsLoaderMessage()
    {
        var path = Zip("junk.fmu", ("modelDescription.xml", MinimalDescription), ("binaries/linux64/M.so", "not an ELF file"));
        var archive = FmuArchive.Open(path, _cache);
        var e = Should.Throw<InputException>(() => new CoSim.Fmi.CoSimulation.FmuCoSimulationComponent(archive, "m", NullLogSink.Instance));
        e.Message.ShouldContain("could not be loaded");
        e.Message.ShouldContain("M.so");
    }
}
