using System.IO.Compression;
using CoSim.Core;
using CoSim.Ssp;

namespace CoSim.Ssp.Tests;

/// <summary>Hostile or broken SSP packages give a clear error and write nothing outside the package cache.</summary>
public class SspImporterTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("cosim-ssp-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    private string Cache => Path.Combine(_dir, "cache", "ssp");

    private string Package(params (string Entry, string Content)[] entries)
    {
        var path = Path.Combine(_dir, "system.ssp");
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (entry, content) in entries)
        {
            using var s = zip.CreateEntry(entry).Open();
            s.Write(System.Text.Encoding.UTF8.GetBytes(content));
        }
        return path;
    }

    [Test]
    public void Load_EntryEscapingThePackage_RejectedAndNothingWrittenOutside()
    {
        var path = Package(("SystemStructure.ssd", "<x/>"), ("../../escaped.txt", "x"));
        Should.Throw<InputException>(() => SspImporter.Load(path, Cache)).Message.ShouldContain("unsafe entry");
        File.Exists(Path.Combine(_dir, "cache", "escaped.txt")).ShouldBeFalse();
        File.Exists(Path.Combine(_dir, "escaped.txt")).ShouldBeFalse();
        Directory.GetFileSystemEntries(Cache).ShouldBeEmpty(); // no half-unpacked package left behind
    }

    [Test]
    public void Load_NotAZip_ClearError()
    {
        var path = Path.Combine(_dir, "text.ssp");
        File.WriteAllText(path, "not a zip");
        Should.Throw<InputException>(() => SspImporter.Load(path, Cache)).Message.ShouldContain("not an SSP package: the file is not a zip archive");
    }

    [Test]
    public void Load_ComponentSourceOutsideThePackage_ClearError()
    {
        var ssd = """
            <ssd:SystemStructureDescription version="1.0" name="S" xmlns:ssd="http://ssp-standard.org/SSP1/SystemStructureDescription">
              <ssd:System name="S"><ssd:Elements>
                <ssd:Component name="A" source="../../../etc/passwd.fmu"/>
              </ssd:Elements></ssd:System>
            </ssd:SystemStructureDescription>
            """;
        var path = Package(("SystemStructure.ssd", ssd));
        Should.Throw<InputException>(() => SspImporter.Load(path, Cache)).Message.ShouldContain("points outside the SSP package");
    }

    [Test]
    public void Load_SsdWithDtd_RefusedByTheHardenedLoaderWithItsLine()
    {
        var ssd = """
            <?xml version="1.0"?>
            <!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>
            <ssd:SystemStructureDescription version="1.0" name="S" xmlns:ssd="http://ssp-standard.org/SSP1/SystemStructureDescription"/>
            """;
        var path = Package(("SystemStructure.ssd", ssd));
        var e = Should.Throw<InputException>(() => SspImporter.Load(path, Cache));
        e.Message.ShouldContain("SystemStructure.ssd:2: not well-formed XML");
        e.Message.ShouldContain("DTD");
    }
}
