using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace CoSim.Scripting.Tests;

/// <summary>
/// Regression test of what fuzzing the JUnit writer found (scripts/fuzz junit, docs/security.md): a control character
/// or a lone surrogate in a test's name, message or details (an FMU's log text can carry them) made XmlWriter throw,
/// so `cosim test --junit` lost the whole report. They are written as U+FFFD; every other character is kept.
/// </summary>
public class JUnitReportTests
{
    [Test]
    public void Write_TextThatXmlCannotHold_ReplacesOnlyThoseCharacters()
    {
        const string name = "reaches \u0001 setpoint \uD83D\uDE80"; // a control character, and a rocket (a valid surrogate pair)
        const string message = "y was 1.2\u0000 at t = 2 s \uD800 (lone surrogate)\tok";
        var failed = new TestCaseResult(name, TestStatus.Failed, 0.25) { Message = message, Type = "assert\u001B", Details = ["line \u0008 one", "line two"] };
        var scenario = new ScenarioTestResult("/tmp/set/tank.csx", "tank \u0007", DateTime.UnixEpoch, 1, [failed], false);
        var text = new StringBuilder();
        using (var xml = XmlWriter.Create(text))
            JUnitReport.Write(new TestRunReport([scenario], DateTime.UnixEpoch, 1), xml);

        var doc = XDocument.Parse(text.ToString());

        var testCase = doc.Descendants("testcase").ShouldHaveSingleItem();
        testCase.Attribute("name")!.Value.ShouldBe("reaches \uFFFD setpoint \uD83D\uDE80");
        var failure = testCase.Element("failure").ShouldNotBeNull();
        failure.Attribute("message")!.Value.ShouldBe("y was 1.2\uFFFD at t = 2 s \uFFFD (lone surrogate)\tok");
        failure.Attribute("type")!.Value.ShouldBe("assert\uFFFD");
        failure.Value.ShouldBe("line \uFFFD one\nline two");
        doc.Descendants("testsuite").Single().Attribute("name")!.Value.ShouldBe("tank \uFFFD");
    }
}
