using CoSim.Core;
using CoSim.Telemetry.Replay;

namespace CoSim.Telemetry.Tests;

/// <summary>
/// Regression tests of what fuzzing the input-table reader found (scripts/fuzz input-table, docs/security.md): a quoted
/// cell or column name holding a line break or control characters was quoted as it is, so the "one line saying what
/// failed" error broke into several lines. Quoted input is now shown escaped.
/// </summary>
public class OneLineMessageTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("cosim-oneline-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    private string File(string text)
    {
        var path = Path.Combine(_dir, "table.csv");
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    [Test]
    public void InputTable_QuotedCellWithLineBreak_IsOneLineNamingLineAndColumn()
    {
        var path = File("time,\"Valve\nu\"\n0,1\n1,\"2\n\u0001x\"\n");

        var e = Should.Throw<InputException>(() => InputTable.Load(path));

        e.Message.ShouldNotContain("\n");
        e.Message.ShouldStartWith($"{path}:4:");
        e.Message.ShouldEndWith(": column 'Valve\\nu': '2\\n\\u0001x' is not a number");
    }

    [Test]
    public void Historian_QuotedTimeWithLineBreak_IsOneLine()
    {
        var path = File("time,a\n0,1\n\"1\n5\",2\n");

        var e = Should.Throw<InputException>(() => HistorianCsv.Load(path, new HistorianCsvOptions { TimeFormat = TimeFormat.EpochSeconds }));

        e.Message.ShouldNotContain("\n");
        e.Message.ShouldStartWith($"{path}:3:");
        e.Message.ShouldContain("time column 'time': '1\\n5' ");
    }

    [Test]
    public void OneLine_LongText_IsClippedAfterEightyCharacters()
    {
        InputText.OneLine(new string('x', 100)).ShouldBe(new string('x', 80) + "...");
        InputText.OneLine("plain").ShouldBe("plain");
    }
}
