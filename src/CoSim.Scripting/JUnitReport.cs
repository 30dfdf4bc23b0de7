using System.Globalization;
using System.Text;
using System.Xml;

namespace CoSim.Scripting;

/// <summary>
/// Writes a <see cref="TestRunReport"/> as JUnit XML in the Ant form that GitLab, Jenkins and GitHub's test
/// reporters read: <c>testsuites</c> > one <c>testsuite</c> per scenario script (<c>properties</c>, its
/// <c>testcase</c>s, <c>system-out</c>, <c>system-err</c>) > <c>testcase</c> with at most one of
/// <c>failure</c> (an assertion failed), <c>error</c> (the run failed or could not start) or <c>skipped</c>.
/// </summary>
public static class JUnitReport
{
    /// <summary>Writes the report to <paramref name="path"/> (written beside and renamed, so a reader never sees half a file).</summary>
    public static void Write(TestRunReport report, string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = full + ".tmp";
        using (var writer = XmlWriter.Create(temporary, new XmlWriterSettings { Indent = true, Encoding = new System.Text.UTF8Encoding(false) }))
            Write(report, writer);
        File.Move(temporary, full, overwrite: true);
    }

    /// <summary>Writes the report to an XML writer.</summary>
    public static void Write(TestRunReport report, XmlWriter xml)
    {
        var cases = report.Cases.ToList();
        xml.WriteStartDocument();
        xml.WriteStartElement("testsuites");
        xml.WriteAttributeString("name", "cosim test");
        xml.WriteAttributeString("tests", Count(cases.Count));
        xml.WriteAttributeString("failures", Count(cases.Count(c => c.Status == TestStatus.Failed)));
        xml.WriteAttributeString("errors", Count(cases.Count(c => c.Status == TestStatus.Error)));
        xml.WriteAttributeString("skipped", Count(cases.Count(c => c.Status == TestStatus.Skipped)));
        xml.WriteAttributeString("time", Seconds(report.Seconds));
        var host = HostName();
        for (var i = 0; i < report.Scenarios.Count; i++)
        {
            var s = report.Scenarios[i];
            xml.WriteStartElement("testsuite");
            xml.WriteAttributeString("name", Clean(s.Name));
            xml.WriteAttributeString("package", Clean(Package(s.Script)));
            xml.WriteAttributeString("id", Count(i));
            xml.WriteAttributeString("tests", Count(s.Cases.Count));
            xml.WriteAttributeString("failures", Count(s.Cases.Count(c => c.Status == TestStatus.Failed)));
            xml.WriteAttributeString("errors", Count(s.Cases.Count(c => c.Status == TestStatus.Error)));
            xml.WriteAttributeString("skipped", Count(s.Cases.Count(c => c.Status == TestStatus.Skipped)));
            xml.WriteAttributeString("time", Seconds(s.Seconds));
            // The Ant schema's timestamp is an ISO 8601 date and time without a time zone.
            xml.WriteAttributeString("timestamp", s.Started.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
            xml.WriteAttributeString("hostname", host);
            xml.WriteStartElement("properties");
            Property(xml, "script", s.Script);
            foreach (var (f, n) in s.ResultFiles.Select((f, n) => (f, n))) Property(xml, s.ResultFiles.Count == 1 ? "result" : $"result.{n + 1}", f);
            if (s.SummaryFile != null) Property(xml, "summary", s.SummaryFile);
            xml.WriteEndElement();
            foreach (var c in s.Cases) Case(xml, s.Name, Package(s.Script), c);
            xml.WriteElementString("system-out", Clean(string.Join("\n", s.Cases.SelectMany(c => c.Details.Select(d => $"{c.Name}: {d}")))));
            xml.WriteElementString("system-err", "");
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
        xml.WriteEndDocument();
    }

    private static void Case(XmlWriter xml, string scenario, string package, TestCaseResult c)
    {
        xml.WriteStartElement("testcase");
        xml.WriteAttributeString("name", Clean(c.Name));
        xml.WriteAttributeString("classname", Clean(package.Length == 0 ? scenario : $"{package}.{scenario}"));
        xml.WriteAttributeString("time", Seconds(c.Seconds));
        var element = c.Status switch { TestStatus.Failed => "failure", TestStatus.Error => "error", TestStatus.Skipped => "skipped", _ => null };
        if (element != null)
        {
            xml.WriteStartElement(element);
            xml.WriteAttributeString("message", Clean(c.Message ?? ""));
            if (c.Status != TestStatus.Skipped) xml.WriteAttributeString("type", Clean(c.Type ?? ""));
            if (c.Status != TestStatus.Skipped) xml.WriteString(Clean(string.Join("\n", c.Details.DefaultIfEmpty(c.Message ?? ""))));
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
    }

    private static void Property(XmlWriter xml, string name, string value)
    {
        xml.WriteStartElement("property");
        xml.WriteAttributeString("name", name);
        xml.WriteAttributeString("value", Clean(value));
        xml.WriteEndElement();
    }

    /// <summary>The script's folder name, the "package" CI systems group test cases by.</summary>
    private static string Package(string script) => Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(script))) ?? "";

    private static string HostName()
    {
        try
        {
            return System.Net.Dns.GetHostName() is { Length: > 0 } h ? h : "localhost";
        }
        catch (System.Net.Sockets.SocketException)
        {
            return "localhost";
        }
    }

    /// <summary>
    /// The text with every character XML 1.0 cannot hold (control characters, lone surrogates; a test's message or
    /// an FMU's log can carry them) replaced by U+FFFD, so the report stays well-formed (found by scripts/fuzz junit).
    /// </summary>
    internal static string Clean(string text)
    {
        var i = 0;
        while (i < text.Length && Valid(text, i, out var width)) i += width;
        if (i == text.Length) return text;
        var clean = new StringBuilder(text.Length).Append(text, 0, i);
        while (i < text.Length)
        {
            if (Valid(text, i, out var width)) clean.Append(text, i, width);
            else clean.Append('\uFFFD');
            i += width;
        }
        return clean.ToString();

        static bool Valid(string s, int at, out int width)
        {
            width = 1;
            if (XmlConvert.IsXmlChar(s[at])) return true;
            if (at + 1 < s.Length && XmlConvert.IsXmlSurrogatePair(s[at + 1], s[at]))
            {
                width = 2;
                return true;
            }
            return false;
        }
    }

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Seconds(double s) => s.ToString("0.###", CultureInfo.InvariantCulture);
}
