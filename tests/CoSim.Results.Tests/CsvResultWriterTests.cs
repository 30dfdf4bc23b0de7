using System.Diagnostics;
using System.Globalization;
using System.Text;
using CoSim.Results;

namespace CoSim.Results.Tests
{
    public class CsvResultWriterTests
    {
        private string _path = "";

        [SetUp]
        public void CreatePath() => _path = Path.GetTempFileName();

        [TearDown]
        public void DeletePath() => File.Delete(_path);

        [Test]
        public void WriteRow_Values_RoundTripExactlyInInvariantCulture()
        {
            var values = new[] { 0.1, 1.0 / 3, -1e-300, double.MaxValue, 12345678.9 };
            var old = CultureInfo.CurrentCulture;
            var comma = (CultureInfo)CultureInfo.InvariantCulture.Clone();
            comma.NumberFormat.NumberDecimalSeparator = ","; // would write "0,1" if the culture leaked in
            CultureInfo.CurrentCulture = comma;
            try
            {
                using var w = new CsvResultWriter(_path, ["a", "b", "c", "d", "e"]);
                w.WriteRow(0.5, values);
            }
            finally
            {
                CultureInfo.CurrentCulture = old;
            }
            var lines = File.ReadAllLines(_path);
            lines[0].ShouldBe("time,a,b,c,d,e");
            var cells = lines[1].Split(',');
            cells.Length.ShouldBe(6);
            cells.Skip(1).Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ShouldBe(values);
        }

        [Test]
        public void WriteRow_RegularFile_EachRowIsInTheFileAtOnceFollowedOnlyByNewlines()
        {
            using var w = new CsvResultWriter(_path, ["x"]);
            w.IsMapped.ShouldBeTrue();
            var expected = new StringBuilder("time,x\n");
            for (var i = 0; i < 50; i++)
            {
                w.WriteRow(i * 0.1, [i]);
                expected.Append(CultureInfo.InvariantCulture, $"{i * 0.1},{i}\n");
                // Another descriptor (what is left when the process is killed now) sees header and rows, then padding.
                var text = ReadShared(_path);
                text.ShouldStartWith(expected.ToString());
                text.Length.ShouldBe(CsvResultWriter.ChunkSize);
                text.AsSpan(expected.Length).ContainsAnyExcept('\n').ShouldBeFalse();
            }
        }

        [Test]
        public void Dispose_AfterRows_FileIsExactlyHeaderAndRowsWithoutPadding()
        {
            var expected = new StringBuilder("time,\"a,b\",y\n");
            using (var w = new CsvResultWriter(_path, ["a,b", "y"]))
            {
                for (var i = 0; i < 1000; i++)
                {
                    w.WriteRow(i, [i * 0.5, -i]);
                    expected.Append(CultureInfo.InvariantCulture, $"{i},{i * 0.5},{-i}\n");
                }
                w.Rows.ShouldBe(1000);
            }
            File.ReadAllText(_path).ShouldBe(expected.ToString());
        }

        [Test]
        public void Dispose_NoRows_FileIsExactlyTheHeader()
        {
            using (new CsvResultWriter(_path, ["x"])) { }
            File.ReadAllText(_path).ShouldBe("time,x\n");
        }

        [Test]
        public void WriteRow_RowsAcrossSeveralChunks_AllRowsInOrderAndExactLengthAtDispose()
        {
            // ~80 bytes a row: 20,000 rows fill several chunks (256 KiB each) and start one more.
            const int rows = 20_000;
            var values = new double[5];
            long expectedLength;
            using (var w = new CsvResultWriter(_path, ["a", "b", "c", "d", "e"]))
            {
                expectedLength = "time,a,b,c,d,e\n".Length;
                for (var i = 0; i < rows; i++)
                {
                    for (var c = 0; c < values.Length; c++) values[c] = i + 1.0 / (c + 3);
                    w.WriteRow(i * 1e-3, values);
                    expectedLength += Encoding.ASCII.GetByteCount(Row(i * 1e-3, values));
                    if (i % 3_000 == 0) ((long)ReadShared(_path).Length).ShouldBe((expectedLength / CsvResultWriter.ChunkSize + 1) * CsvResultWriter.ChunkSize);
                }
                expectedLength.ShouldBeGreaterThan(3L * CsvResultWriter.ChunkSize);
            }
            new FileInfo(_path).Length.ShouldBe(expectedLength);
            var lines = File.ReadAllLines(_path);
            lines.Length.ShouldBe(rows + 1);
            for (var i = 0; i < rows; i += 997)
            {
                for (var c = 0; c < values.Length; c++) values[c] = i + 1.0 / (c + 3);
                (lines[i + 1] + "\n").ShouldBe(Row(i * 1e-3, values));
            }
            lines[^1].ShouldStartWith(string.Create(CultureInfo.InvariantCulture, $"{(rows - 1) * 1e-3},"));
        }

        [Test]
        public void WriteRow_ProcessKilledWithoutDispose_FileHoldsEveryRowThenOnlyBlankLines()
        {
            // A child process (this test assembly, entered through ChildWriter below) writes 25,000 rows
            // (~600 KB, three chunks) and sends itself SIGKILL: no managed code, finalizer or exit handler runs.
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            psi.ArgumentList.Add("exec");
            psi.ArgumentList.Add(typeof(CsvResultWriterTests).Assembly.Location);
            psi.Environment["DOTNET_STARTUP_HOOKS"] = typeof(CsvResultWriterTests).Assembly.Location;
            psi.Environment[ChildWriter.PathVariable] = _path;
            psi.Environment["DOTNET_DbgEnableMiniDump"] = "0";
            psi.Environment["DOTNET_EnableCrashReport"] = "0";
            using var p = Process.Start(psi)!;
            var stderr = p.StandardError.ReadToEndAsync();
            var stdout = p.StandardOutput.ReadToEnd();
            p.WaitForExit(60_000).ShouldBeTrue();
            p.ExitCode.ShouldBe(128 + 9, $"{stdout}\n{stderr.Result}"); // killed by SIGKILL

            var text = File.ReadAllText(_path);
            var content = text.TrimEnd('\n') + "\n";
            (text.Length % CsvResultWriter.ChunkSize).ShouldBe(0); // the unused tail of the last chunk stays
            (text.Length - content.Length).ShouldBeInRange(0, CsvResultWriter.ChunkSize - 1);
            var lines = content.Split('\n')[..^1];
            lines[0].ShouldBe("time,x,y");
            lines.Length.ShouldBe(ChildWriter.Rows + 1);
            for (var i = 0; i < ChildWriter.Rows; i++) (lines[i + 1] + "\n").ShouldBe(Row(i, ChildWriter.Values(i)));
            // The reader of the project's tests skips the blank lines.
            CoSim.TestSupport.ResultCsv.Load(_path).Rows.Count.ShouldBe(ChildWriter.Rows);
        }

        [Test]
        public void WriteRow_OutputNotMappable_BufferedWritesStillGiveEveryRowAtDispose()
        {
            // /dev/null cannot be mapped: the writer falls back to buffered writes instead of failing.
            using (var w = new CsvResultWriter("/dev/null", ["x"]))
            {
                w.IsMapped.ShouldBeFalse();
                for (var i = 0; i < 100_000; i++) w.WriteRow(i, [i]);
                w.Rows.ShouldBe(100_000);
            }
        }

        [Test]
        public void WriteRow_OutputIsAPipe_RowsArriveInOrderAtRowBoundaries()
        {
            // A pipe (e.g. `-o /dev/stdout | consumer`): buffered writes, whole rows, everything after Dispose.
            var fifo = _path + ".fifo";
            Process.Start("mkfifo", [fifo])!.WaitForExit();
            try
            {
                using var cat = Process.Start("sh", ["-c", "cat \"$0\" > \"$1\"", fifo, _path])!;
                var expected = new StringBuilder("time,x\n");
                using (var w = new CsvResultWriter(fifo, ["x"]))
                {
                    w.IsMapped.ShouldBeFalse();
                    for (var i = 0; i < 20_000; i++)
                    {
                        w.WriteRow(i, [i * 0.25]);
                        expected.Append(CultureInfo.InvariantCulture, $"{i},{i * 0.25}\n");
                    }
                }
                cat.WaitForExit(60_000).ShouldBeTrue();
                File.ReadAllText(_path).ShouldBe(expected.ToString());
            }
            finally
            {
                File.Delete(fifo);
            }
        }

        private static string Row(double time, double[] values) =>
            string.Join(',', new[] { time }.Concat(values).Select(v => v.ToString(CultureInfo.InvariantCulture))) + "\n";

        private static string ReadShared(string path)
        {
            using var s = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return new StreamReader(s).ReadToEnd();
        }
    }

    /// <summary>
    /// Body of the child process of <see cref="CsvResultWriterTests.WriteRow_ProcessKilledWithoutDispose_FileHoldsEveryRowThenOnlyBlankLines"/>,
    /// run by the .NET startup hook below only when <see cref="PathVariable"/> is set.
    /// </summary>
    internal static class ChildWriter
    {
        public const string PathVariable = "COSIM_TEST_CSV_KILLED_WRITER";
        public const int Rows = 25_000;

        public static double[] Values(int i) => [i * 1e-3, Math.Sqrt(i)];

        public static void RunIfChild()
        {
            if (Environment.GetEnvironmentVariable(PathVariable) is not { Length: > 0 } path) return;
            var w = new CsvResultWriter(path, ["x", "y"]);
            for (var i = 0; i < Rows; i++) w.WriteRow(i, Values(i));
            Process.GetCurrentProcess().Kill(); // SIGKILL, with w neither flushed nor disposed
        }
    }
}

/// <summary>
/// .NET startup hook (named by DOTNET_STARTUP_HOOKS; the runtime wants this name outside any namespace):
/// lets the killed-writer test run this assembly as its child process.
/// </summary>
internal static class StartupHook
{
    public static void Initialize() => CoSim.Results.Tests.ChildWriter.RunIfChild();
}
