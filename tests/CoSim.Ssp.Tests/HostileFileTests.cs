using CoSim.Core;
using CoSim.Ssp;

namespace CoSim.Ssp.Tests;

/// <summary>
/// Regression tests of what fuzzing the SSP readers found (scripts/fuzz ssv and ssd, docs/security.md): the XML
/// parser's message quotes the offending character as it is, a line break too, so the error broke into two lines.
/// </summary>
public class HostileFileTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("cosim-hostile-ssp-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    [Test]
    public void SsvFile_ElementNameStartingWithALineBreak_IsOneLineNamingTheLine()
    {
        var path = Path.Combine(_dir, "parameters.ssv");
        File.WriteAllText(path, "<?xml version=\"1.0\"?>\n<ssv:ParameterSet xmlns:ssv=\"http://ssp-standard.org/SSP1/SystemStructureParameterValues\">\n<\n</ssv:ParameterSet>\n");

        var e = Should.Throw<InputException>(() => SsvFile.Read(path));

        e.Message.ShouldStartWith($"{path}:");
        e.Message.ShouldContain(": not well-formed XML: Name cannot begin with the '\\n' character");
        e.Message.ShouldContain("'\\n'");
        e.Message.ShouldNotContain("\n");
    }
}
