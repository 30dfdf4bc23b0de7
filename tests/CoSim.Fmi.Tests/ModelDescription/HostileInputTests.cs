using System.Diagnostics;
using System.Text;
using CoSim.Fmi.Description;

namespace CoSim.Fmi.Tests.Description;

/// <summary>Input that is broken or made to attack the reader: it must answer with a report, quickly, and never throw.</summary>
public class HostileInputTests
{
    private static ModelDescriptionReport Parse(string xml) => Samples.Parse(xml);

    private static void ShouldBeRejected(ModelDescriptionReport report, string messagePart)
    {
        report.Model.ShouldBeNull(Samples.Dump(report));
        report.CanRun.ShouldBeFalse();
        report.Errors.ShouldContain(d => d.Message.Contains(messagePart, StringComparison.Ordinal), Samples.Dump(report));
    }

    [Test]
    public void Parse_EmptyText_ReportsMissingRootElement()
    {
        ShouldBeRejected(Parse(""), "Root element is missing");
    }

    [Test]
    public void Read_EmptyStream_ReportsMissingRootElement()
    {
        var report = ModelDescriptionReader.Read(new MemoryStream(), "empty.xml");
        ShouldBeRejected(report, "Root element is missing");
        report.Diagnostics[0].File.ShouldBe("empty.xml");
    }

    [Test]
    public void Parse_PlainText_ReportsNotWellFormedAtLineOne()
    {
        var report = Parse("this is not XML at all");
        ShouldBeRejected(report, "not well-formed XML");
        report.Errors.First().Line.ShouldBe(1);
    }

    [Test]
    public void Read_RandomBytes_ReportsErrorInsteadOfThrowing()
    {
        var random = new Random(1234);
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var bytes = new byte[random.Next(1, 4096)];
            random.NextBytes(bytes);
            var report = ModelDescriptionReader.Read(new MemoryStream(bytes), "noise.bin");
            report.Model.ShouldBeNull($"attempt {attempt}");
            report.Errors.ShouldNotBeEmpty($"attempt {attempt}");
        }
    }

    [TestCase(2)]
    [TestCase(3)]
    public void Parse_SampleTruncatedAt30RandomPlaces_ReportsErrorsEveryTime(int version)
    {
        var xml = Samples.Text(version);
        // Any cut before the end of the closing root tag leaves the document incomplete.
        var end = xml.IndexOf("</fmiModelDescription>", StringComparison.Ordinal) + "</fmiModelDescription>".Length;
        var random = new Random(version * 7919);
        for (var i = 0; i < 30; i++)
        {
            var cut = random.Next(0, end);
            var report = Parse(xml[..cut]);
            report.Errors.ShouldNotBeEmpty($"cut at {cut}: {Samples.Dump(report)}");
            report.CanRun.ShouldBeFalse($"cut at {cut}");
            report.Errors.First().Line.ShouldBeGreaterThan(0, $"cut at {cut}: {Samples.Dump(report)}");
        }
    }

    [Test]
    public void Parse_BillionLaughs_IsRejectedQuickly()
    {
        var xml = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE fmiModelDescription [\n  <!ENTITY lol0 \"lol\">\n");
        for (var i = 1; i <= 10; i++)
            xml.Append($"  <!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{i - 1};", 10))}\">\n");
        xml.Append("]>\n<fmiModelDescription fmiVersion=\"2.0\" modelName=\"&lol10;\" guid=\"x\"/>");

        var watch = Stopwatch.StartNew();
        var report = Parse(xml.ToString());
        watch.Stop();

        ShouldBeRejected(report, "DTD is prohibited");
        report.Errors.First().Line.ShouldBe(2);
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(5));
    }

    [Test]
    public void Parse_ExternalEntity_IsNeverResolved()
    {
        var secret = Path.GetTempFileName();
        try
        {
            File.WriteAllText(secret, "TOP-SECRET-CONTENT");
            var xml = $"<?xml version=\"1.0\"?><!DOCTYPE fmiModelDescription [<!ENTITY xxe SYSTEM \"file://{secret}\">]>" +
                "<fmiModelDescription fmiVersion=\"2.0\" modelName=\"&xxe;\" guid=\"x\"/>";
            var report = Parse(xml);
            ShouldBeRejected(report, "DTD is prohibited");
            report.Diagnostics.ShouldAllBe(d => !d.Message.Contains("TOP-SECRET", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [Test]
    public void Parse_TenMegabyteDescription_IsReadQuickly()
    {
        var huge = new string('x', 10 * 1024 * 1024);
        var xml = Samples.Mutate(Samples.Fmi2, "description=\"Open water tank drained through a valve\"", $"description=\"{huge}\"");

        var watch = Stopwatch.StartNew();
        var report = Parse(xml);
        watch.Stop();

        report.Model.ShouldNotBeNull().Description!.Length.ShouldBe(huge.Length);
        report.Diagnostics.ShouldBeEmpty();
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30)); // a hang, not a benchmark: the machine may be busy
    }

    [Test]
    public void Parse_TenMegabyteVariableName_ReportsWithShortMessages()
    {
        var huge = new string('a', 10 * 1024 * 1024) + " b"; // a space breaks the structured convention
        var xml = Samples.Mutate(Samples.Fmi2, "name=\"spill.count\"", $"name=\"{huge}\"");

        var watch = Stopwatch.StartNew();
        var report = Parse(xml);
        watch.Stop();

        report.Warnings.ShouldContain(d => d.Message.Contains("does not follow the 'structured' naming convention", StringComparison.Ordinal), Samples.Dump(report));
        report.Diagnostics.ShouldAllBe(d => d.Message.Length < 400);
        report.Model.ShouldNotBeNull().Variables[11].Name.Length.ShouldBe(huge.Length);
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30)); // a hang, not a benchmark: the machine may be busy
    }

    [Test]
    public void Parse_TenMegabyteStartList_IsCheckedQuickly()
    {
        var values = string.Join(' ', Enumerable.Repeat("1.25", 2_000_000)); // ~10 MB
        var xml = Samples.Mutate(Samples.Fmi3, "start=\"1.5 2 2.5\"", $"start=\"{values}\"");

        var watch = Stopwatch.StartNew();
        var report = Parse(xml);
        watch.Stop();

        report.Errors.ShouldContain(d => d.Message.Contains("has 3 elements but 2000000 start values", StringComparison.Ordinal), Samples.Dump(report));
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30)); // a hang, not a benchmark: the machine may be busy
    }

    [Test]
    public void Parse_DocumentLargerThanTheCap_IsRejected()
    {
        var report = ModelDescriptionReader.Parse(Samples.Fmi2, "big.xml", maxCharacters: 1000);
        ShouldBeRejected(report, "MaxCharactersInDocument");
    }

    [Test]
    public void Parse_HundredThousandNestedElements_IsRejectedQuickly()
    {
        const int depth = 100_000;
        var nested = string.Concat(Enumerable.Repeat("<a>", depth)) + string.Concat(Enumerable.Repeat("</a>", depth));
        var xml = Samples.Mutate(Samples.Fmi2, "<Anything goes=\"here\"/>", nested);

        var watch = Stopwatch.StartNew();
        var report = Parse(xml);
        watch.Stop();

        ShouldBeRejected(report, "elements are nested more than 512 levels deep");
        report.Errors.Single().Line.ShouldBe(Samples.LineOf(xml, "<Tool name=\"Handwritten\">") + 1);
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(5));
    }

    [Test]
    public void Parse_DeepButBoundedVendorAnnotation_IsAccepted()
    {
        const int depth = 400;
        var nested = string.Concat(Enumerable.Repeat("<a>", depth)) + string.Concat(Enumerable.Repeat("</a>", depth));
        var report = Parse(Samples.Mutate(Samples.Fmi2, "<Anything goes=\"here\"/>", nested));
        report.Model.ShouldNotBeNull(Samples.Dump(report));
        report.Diagnostics.ShouldBeEmpty(Samples.Dump(report));
    }

    [Test]
    public void Parse_ManyUnknownElements_KeepsAtMostTheCapAndCountsTheRest()
    {
        var junk = string.Concat(Enumerable.Repeat("<Junk/>", 5000));
        var xml = Samples.Mutate(Samples.Fmi2, "<LogCategories>", junk + "<LogCategories>");
        var report = Parse(xml);
        report.Diagnostics.Count.ShouldBe(DiagnosticBag.Limit + 1);
        report.Diagnostics[^1].Message.ShouldStartWith("0 more error(s) and 3000 more warning(s) not listed");
        report.Diagnostics[^1].Severity.ShouldBe(Severity.Warning);
        report.CanRun.ShouldBeTrue(); // unknown elements alone never stop a run
    }

    [Test]
    public void Parse_UnknownElementsAndAttributes_GiveWarningsOnly()
    {
        var xml = Samples.Mutate(Samples.Fmi2, "<LogCategories>", "<Extension kind=\"x\"><Deep/></Extension>\n  <LogCategories>");
        xml = Samples.Mutate(xml, "name=\"area\"", "name=\"area\" vendorFlag=\"1\"");
        xml = Samples.Mutate(xml, "<Real unit=\"m3\"/>", "<Real unit=\"m3\" precision=\"high\"/>\n      <Hint/>");
        xml = Samples.Mutate(xml, "<Derivatives>", "<Derivatives>\n      <Note/>");

        var report = Parse(xml);

        report.Errors.ShouldBeEmpty(Samples.Dump(report));
        report.Warnings.Count().ShouldBe(5, Samples.Dump(report));
        report.CanRun.ShouldBeTrue();
        report.Warnings.Select(w => w.Line).ShouldBe([
            Samples.LineOf(xml, "<Extension"),
            Samples.LineOf(xml, "vendorFlag"),
            Samples.LineOf(xml, "precision"),
            Samples.LineOf(xml, "<Hint/>"),
            Samples.LineOf(xml, "<Note/>"),
        ]);
    }

    [Test]
    public void Parse_WrongRootElement_IsRejectedWithItsLine()
    {
        var report = Parse("<?xml version=\"1.0\"?>\n<fmiModelDescriptions fmiVersion=\"2.0\"/>");
        ShouldBeRejected(report, "the root element must be <fmiModelDescription>, found <fmiModelDescriptions>");
        report.Errors.Single().Line.ShouldBe(2);
    }

    [Test]
    public void Parse_RootInANamespace_IsRejected()
    {
        ShouldBeRejected(Parse("<fmiModelDescription xmlns=\"urn:other\" fmiVersion=\"2.0\"/>"), "the root element must be <fmiModelDescription>");
    }

    [Test]
    public void Parse_Fmi1_ReportsThatOnlyFmi2And3AreSupported()
    {
        var xml = Samples.Mutate(Samples.Fmi2, "fmiVersion=\"2.0\"", "fmiVersion=\"1.0\"");
        var report = Parse(xml);
        ShouldBeRejected(report, "fmiVersion '1.0': FMI 1.0 is not supported; CoSim reads FMI 2.0 and FMI 3.x model descriptions");
        report.Errors.Single().Line.ShouldBe(Samples.LineOf(xml, "<fmiModelDescription"));
    }

    [TestCase("4.0")]
    [TestCase("2")]
    [TestCase("")]
    public void Parse_UnknownFmiVersion_IsRejected(string version)
    {
        var report = Parse(Samples.Mutate(Samples.Fmi2, "fmiVersion=\"2.0\"", $"fmiVersion=\"{version}\""));
        ShouldBeRejected(report, $"fmiVersion '{version}' is not supported; CoSim reads FMI 2.0 and FMI 3.x");
    }

    [Test]
    public void Parse_MissingFmiVersion_IsRejected()
    {
        ShouldBeRejected(Parse(Samples.Mutate(Samples.Fmi2, "fmiVersion=\"2.0\"", "")), "has no 'fmiVersion' attribute");
    }

    [Test]
    public void ReadFile_MissingFile_ReportsInsteadOfThrowing()
    {
        var path = Path.Combine(Path.GetTempPath(), "cosim-no-such-dir-" + Guid.NewGuid(), "modelDescription.xml");
        var report = ModelDescriptionReader.ReadFile(path);
        report.Model.ShouldBeNull();
        report.Errors.ShouldHaveSingleItem().Message.ShouldStartWith("cannot open the file");
        report.Errors.Single().File.ShouldBe(path);
    }

    [Test]
    public void ReadFile_Latin1Encoding_DecodesAccordingToTheDeclaration()
    {
        var path = Path.GetTempFileName();
        try
        {
            var xml = Samples.Mutate(Samples.Fmi2, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>");
            xml = Samples.Mutate(xml, "author=\"CoSim tests\"", "author=\"Jürgen Müller\"");
            File.WriteAllBytes(path, Encoding.Latin1.GetBytes(xml));

            var report = ModelDescriptionReader.ReadFile(path);

            report.Diagnostics.ShouldBeEmpty(Samples.Dump(report));
            report.Model.ShouldNotBeNull().Author.ShouldBe("Jürgen Müller");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Read_UnknownEncoding_ReportsInsteadOfThrowing()
    {
        var xml = Samples.Mutate(Samples.Fmi2, "encoding=\"UTF-8\"", "encoding=\"x-no-such-encoding\"");
        var report = ModelDescriptionReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(xml)), "odd.xml");
        report.Model.ShouldBeNull();
        report.Errors.ShouldNotBeEmpty();
    }

    [Test]
    public void Read_StreamFailingHalfway_ReportsTheFailure()
    {
        var report = ModelDescriptionReader.Read(new FailingStream(Encoding.UTF8.GetBytes(Samples.Fmi2), failAfter: 500), "broken.xml");
        report.Model.ShouldBeNull();
        report.Errors.ShouldHaveSingleItem().Message.ShouldContain("disk went away");
    }

    [Test]
    public void Parse_TwentyThousandVariables_StaysFast()
    {
        const int count = 20_000;
        var variables = new StringBuilder();
        var structure = new StringBuilder();
        for (var i = 1; i <= count; i++)
        {
            variables.Append($"<Float64 name=\"y[{i}]\" valueReference=\"{i}\" causality=\"output\" unit=\"m\"/>\n");
            structure.Append($"<Output valueReference=\"{i}\" dependencies=\"0\"/>\n<InitialUnknown valueReference=\"{i}\"/>\n");
        }
        var xml = $"""
            <fmiModelDescription fmiVersion="3.0" modelName="Big" instantiationToken="t" variableNamingConvention="structured">
            <CoSimulation modelIdentifier="Big"/>
            <UnitDefinitions><Unit name="m"/></UnitDefinitions>
            <ModelVariables>
            <Float64 name="time" valueReference="0" causality="independent"/>
            {variables}</ModelVariables>
            <ModelStructure>
            {structure}</ModelStructure>
            </fmiModelDescription>
            """;

        var watch = Stopwatch.StartNew();
        var report = Parse(xml);
        watch.Stop();

        report.Diagnostics.ShouldBeEmpty(Samples.Dump(report));
        report.Model.ShouldNotBeNull().Variables.Count.ShouldBe(count + 1);
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30)); // a hang, not a benchmark: the machine may be busy
    }

    /// <summary>A stream whose device fails after some bytes.</summary>
    private sealed class FailingStream(byte[] data, int failAfter) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count)
        {
            if (Position >= failAfter) throw new IOException("disk went away");
            return base.Read(buffer, offset, Math.Min(count, failAfter - (int)Position));
        }

        public override int Read(Span<byte> buffer)
        {
            if (Position >= failAfter) throw new IOException("disk went away");
            return base.Read(buffer[..Math.Min(buffer.Length, failAfter - (int)Position)]);
        }
    }
}
