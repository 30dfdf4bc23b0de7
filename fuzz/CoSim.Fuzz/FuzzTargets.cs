using System.Text;
using System.Xml;
using CoSim.Core;
using CoSim.Fmi.Archive;
using CoSim.Fmi.Description;
using CoSim.Kafka;
using CoSim.Scripting;
using CoSim.Ssp;
using CoSim.Streams;
using CoSim.Telemetry.Replay;

namespace CoSim.Fuzz;

/// <summary>
/// The fuzz targets: each feeds one input to one reader a user can hand a file (or a message) to. The reader's
/// contract is "bad input is an <see cref="InputException"/> (or a diagnostic), never anything else": any other
/// exception escapes and AFL records it as a crash; a hang is a timeout.
/// </summary>
internal static class FuzzTargets
{
    public static readonly IReadOnlyDictionary<string, Action<Stream, Scratch>> All = new Dictionary<string, Action<Stream, Scratch>>
    {
        ["model-description"] = ModelDescription,
        ["fmu-archive"] = FmuArchiveZip,
        ["ssd"] = Ssd,
        ["ssv"] = Ssv,
        ["input-table"] = (input, scratch) => Refusing(() => InputTable.Load(scratch.Write(input, "input.csv"))),
        ["historian"] = Historian,
        ["kafka-message"] = KafkaMessage,
        ["script-directives"] = ScriptDirectivesOf,
        ["junit"] = JUnit,
    };

    /// <summary>
    /// Runs <paramref name="read"/>; an <see cref="InputException"/> is the reader refusing bad input as it should: one line
    /// (<paramref name="problemList"/>: the SSP reader's list, one problem per line, each naming the file).
    /// </summary>
    private static void Refusing(Action read, bool problemList = false)
    {
        try
        {
            read();
        }
        catch (InputException e) when (e.Message.Length > 0 && (problemList
            ? e.Message.Split('\n').Skip(1).All(line => line.StartsWith("  /", StringComparison.Ordinal))
            : !e.Message.Contains('\n')))
        {
        }
    }

    /// <summary>FMI 2 and FMI 3 model descriptions (the reader takes the version from the document): never throws, reports.</summary>
    private static void ModelDescription(Stream input, Scratch _)
    {
        var report = ModelDescriptionReader.Read(input, "modelDescription.xml");
        if (report.Model == null && !report.Diagnostics.Any(d => d.Severity == Severity.Error))
            throw new InvalidOperationException("no model and no error");
    }

    /// <summary>An FMU archive: unpacked defensively (zip slip, links, size) and its model description read.</summary>
    private static void FmuArchiveZip(Stream input, Scratch scratch)
    {
        var path = scratch.Write(input, "model.fmu");
        Refusing(() => FmuArchive.Open(path, scratch.Folder("cache")));
    }

    /// <summary>A system structure description, read from a package folder holding it.</summary>
    private static void Ssd(Stream input, Scratch scratch)
    {
        var file = scratch.Write(input, "package/SystemStructure.ssd");
        Refusing(() => SspImporter.Load(Path.GetDirectoryName(file)!, scratch.Folder("cache")), problemList: true);
    }

    private static void Ssv(Stream input, Scratch scratch) =>
        Refusing(() => SsvFile.Read(scratch.Write(input, "parameters.ssv")));

    /// <summary>A historian CSV; the first byte picks the options (time format, malformed rows) so each path is reached.</summary>
    private static void Historian(Stream input, Scratch scratch)
    {
        var choice = input.ReadByte();
        if (choice < 0) return;
        var formats = Enum.GetValues<TimeFormat>();
        var options = new HistorianCsvOptions
        {
            TimeFormat = formats[choice % formats.Length],
            Malformed = (choice / formats.Length) % 2 == 0 ? MalformedRows.Fail : MalformedRows.Skip,
        };
        var path = scratch.Write(input, "historian.csv");
        Refusing(() => HistorianCsv.Load(path, options));
    }

    /// <summary>A Kafka message payload (JSON) with nested signal paths; the first byte picks the time format. Never throws.</summary>
    private static void KafkaMessage(Stream input, Scratch _)
    {
        var choice = input.ReadByte();
        if (choice < 0) return;
        var formats = Enum.GetValues<TimeFormat>().Where(f => f != TimeFormat.Auto).ToArray();
        var parser = new MessageParser("t", formats[choice % formats.Length], ["a", "b.c", "b.d.e"]);
        using var buffer = new MemoryStream();
        input.CopyTo(buffer);
        parser.Parse(0, 0, buffer.ToArray());
    }

    /// <summary>A scenario script's <c>#load</c>/<c>#r</c> directives, followed through the files they load.</summary>
    private static void ScriptDirectivesOf(Stream input, Scratch scratch)
    {
        var path = scratch.Write(input, "scripts/main.csx");
        Refusing(() =>
        {
            foreach (var d in ScriptDirectives.Closure(path).Directives) _ = (d.ResolvedPath, d.IsNuGet, d.Place);
        });
    }

    /// <summary>
    /// JUnit XML written for a test run whose names, messages and details come from the input (one field per line):
    /// whatever the text, the output must be well-formed XML that CI's readers can load.
    /// </summary>
    private static void JUnit(Stream input, Scratch _)
    {
        using var reader = new StreamReader(input, Encoding.UTF8);
        var fields = reader.ReadToEnd().Split('\n');
        string Field(int i) => i < fields.Length ? fields[i] : "";
        var status = (TestStatus)((Field(0).Length > 0 ? Field(0)[0] : 0) % 4);
        var testCase = new TestCaseResult(Field(1), status, 0.5) { Message = Field(2), Type = Field(3), Details = fields.Skip(4).ToList() };
        // The script is a file: its name holds no slash and no NUL.
        var scenario = new ScenarioTestResult("/tmp/" + Field(1).Replace('/', '_').Replace('\0', '_') + ".csx", Field(2), DateTime.UnixEpoch, 1, [testCase], false);
        var report = new TestRunReport([scenario], DateTime.UnixEpoch, 1);
        var text = new StringBuilder();
        using (var xml = XmlWriter.Create(text, new XmlWriterSettings { Indent = true }))
            JUnitReport.Write(report, xml);
        using var check = XmlReader.Create(new StringReader(text.ToString()), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
        var cases = 0;
        while (check.Read())
            if (check.NodeType == XmlNodeType.Element && check.Name == "testcase") cases++;
        if (cases != 1) throw new InvalidOperationException($"{cases} test cases read back from the JUnit XML instead of 1");
    }
}
