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

    [Test]
    public void Ssd_XmlDeclarationThatMakesTheParserThrowArgumentOutOfRange_IsOneLine()
    {
        // The fuzzer's input (scripts/fuzz ssd): .NET's XmlReader throws ArgumentOutOfRangeException, whose message
        // ends with "\nActual value was -15.", on this damaged declaration.
        var package = Directory.CreateDirectory(Path.Combine(_dir, "package")).FullName;
        byte[] ssd = [.. "<?xml version=\"1.0"u8, .. Enumerable.Repeat((byte)0xD7, 21), .. "\" encoding=\"UTF-8\"?>\n<!\u0010-\n"u8];
        File.WriteAllBytes(Path.Combine(package, "SystemStructure.ssd"), ssd);

        var e = Should.Throw<InputException>(() => SspImporter.Load(package, Path.Combine(_dir, "cache")));

        e.Message.ShouldContain("SystemStructure.ssd:1: cannot read the XML: ");
        e.Message.ShouldNotContain("\n");
    }

    [Test]
    public void Ssd_BaseUnitExponentThatIsNoInteger_IsAProblemNamingTheUnitAndLine()
    {
        // Found by scripts/fuzz ssd after the session's fixes: (int)XAttribute threw FormatException out of the reader.
        var package = Directory.CreateDirectory(Path.Combine(_dir, "units")).FullName;
        File.WriteAllText(Path.Combine(package, "SystemStructure.ssd"), """
            <?xml version="1.0" encoding="UTF-8"?>
            <ssd:SystemStructureDescription xmlns:ssd="http://ssp-standard.org/SSP1/SystemStructureDescription"
                xmlns:ssc="http://ssp-standard.org/SSP1/SystemStructureCommon" version="1.0" name="units">
              <ssd:System name="root"/>
              <ssd:Units>
                <ssc:Unit name="m/s">
                  <ssc:BaseUnit m="1" s="-Q"/>
                </ssc:Unit>
              </ssd:Units>
            </ssd:SystemStructureDescription>
            """);

        var e = Should.Throw<InputException>(() => SspImporter.Load(package, Path.Combine(_dir, "cache")));

        e.Message.ShouldContain("SystemStructure.ssd:7: unit 'm/s': BaseUnit s=\"-Q\" is not a whole-number exponent");
    }
}
