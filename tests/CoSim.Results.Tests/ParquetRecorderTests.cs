using CoSim.Core;
using CoSim.Results;
using CoSim.TestSupport;

namespace CoSim.Results.Tests
{
    public class ParquetRecorderTests
    {
        private string _folder = "";

        [SetUp]
        public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("parquet-test").FullName;

        [TearDown]
        public void DeleteFolder() => Directory.Delete(_folder, true);

        // Signals read from per-"component" buffers, as the engine hands them to observers.
        private sealed class Setup : IObservationSetup
        {
            public List<VariableRef> Observed { get; } = [];
            public SignalHandle Observe(VariableRef signal)
            {
                Observed.Add(signal);
                return new SignalHandle(Observed.Count - 1);
            }
            public IReadOnlyList<ComponentVariable> VariablesOf(string component) => [];
            public IReadOnlyList<string> Components => ["m"];
        }

        private static readonly RecordedSignal[] Signals =
        [
            new(new VariableRef("m", "a"), "m.a"),
            new(new VariableRef("m", "b"), "m.b"),
            new(new VariableRef("m", "c"), "c"),
        ];

        // Awkward doubles: non-terminating binary fractions, subnormals, extremes, negative zero, NaN.
        private static double Value(int row, int column) => (row % 11, column) switch
        {
            (3, 0) => double.Epsilon,
            (4, 1) => -0.0,
            (5, 2) => double.MaxValue,
            (6, 0) => double.NaN,
            (7, 1) => 1e-310,
            _ => Math.Sin(row * 0.1 + column) / 3 * Math.Pow(10, column * 7 - 7),
        };

        private static void Run(IResultRecorder recorder, int rows, Action<int>? afterRow = null)
        {
            var buffer = new double[Signals.Length];
            var values = new StepValues([buffer], new int[Signals.Length], Enumerable.Range(0, Signals.Length).ToArray());
            recorder.Attach(new Setup());
            for (var r = 0; r < rows; r++)
            {
                for (var c = 0; c < buffer.Length; c++) buffer[c] = Value(r, c);
                var t = SimTime.FromSeconds(r * 0.1);
                if (r == 0) recorder.Started(t, values);
                else recorder.StepComplete(t, values);
                afterRow?.Invoke(r);
            }
            recorder.Finished(SimTime.FromSeconds((rows - 1) * 0.1), null);
        }

        [Test]
        public void Finished_ManyRowGroups_EqualsCsvOfSameRunBitForBit()
        {
            var csvPath = Path.Combine(_folder, "r.csv");
            var parquetPath = Path.Combine(_folder, "r.parquet");
            using (var csv = ResultRecorders.Create(csvPath, Signals)) Run(csv, 1003);
            using (var parquet = new ParquetRecorder(parquetPath, Signals, rowGroupRows: 100))
            {
                Run(parquet, 1003);
                parquet.Rows.ShouldBe(1003);
            }

            var fromCsv = ResultCsv.Load(csvPath);
            var fromParquet = ResultParquet.Load(parquetPath);
            fromParquet.RowGroups.ShouldBe(11); // 10 full groups and the 3 rows left at the end
            fromParquet.Columns.ShouldBe(fromCsv.Columns);
            fromParquet.Columns.ShouldBe(["time", "m.a", "m.b", "c"]);
            fromParquet.Rows.Count.ShouldBe(1003);
            for (var r = 0; r < fromCsv.Rows.Count; r++)
                for (var c = 0; c < fromCsv.Columns.Count; c++)
                {
                    var expected = fromCsv.Rows[r][c];
                    var actual = fromParquet.Rows[r][c];
                    if (double.IsNaN(expected)) double.IsNaN(actual).ShouldBeTrue($"row {r} column {c}");
                    else BitConverter.DoubleToInt64Bits(actual).ShouldBe(BitConverter.DoubleToInt64Bits(expected), $"row {r} column {c}: {actual:R} vs {expected:R}");
                }
            fromParquet.Rows[4][2].ShouldBe(-0.0);
            double.IsNegative(fromParquet.Rows[4][2]).ShouldBeTrue();
        }

        [Test]
        public void StepComplete_MidRun_FileOnDiskReadableUpToLastCompleteRowGroup()
        {
            var path = Path.Combine(_folder, "r.parquet");
            var copies = new Dictionary<int, string>();
            using var recorder = new ParquetRecorder(path, Signals, rowGroupRows: 50);
            ResultParquet.Load(path).Rows.Count.ShouldBe(0); // readable before the first row
            Run(recorder, 180, r =>
            {
                // What a process killed right after this row would leave behind.
                if (r is 49 or 120) File.Copy(path, copies[r] = Path.Combine(_folder, $"at{r}.parquet"));
            });
            var at49 = ResultParquet.Load(copies[49]);
            at49.Rows.Count.ShouldBe(50);
            at49.Rows[49][1].ShouldBe(Value(49, 0));
            var at120 = ResultParquet.Load(copies[120]);
            at120.Rows.Count.ShouldBe(100); // rows 100..120 were still buffered
            at120.RowGroups.ShouldBe(2);
        }

        [Test]
        public void Create_ExtensionAndFormat_ChooseTheRecorder()
        {
            ResultRecorders.FormatOf("x.parquet", null).ShouldBe(ResultFormat.Parquet);
            ResultRecorders.FormatOf("x.PARQUET", null).ShouldBe(ResultFormat.Parquet);
            ResultRecorders.FormatOf("x.csv", null).ShouldBe(ResultFormat.Csv);
            ResultRecorders.FormatOf("x.out", "parquet").ShouldBe(ResultFormat.Parquet);
            ResultRecorders.FormatOf("x.parquet", "csv").ShouldBe(ResultFormat.Csv);
            Should.Throw<InputException>(() => ResultRecorders.FormatOf("x", "xlsx")).Message.ShouldContain("xlsx");
        }

        [Test]
        public void Constructor_DefaultRowGroup_KeepsBufferNearTarget()
        {
            using var few = new ParquetRecorder(Path.Combine(_folder, "a.parquet"), Signals);
            few.RowGroupRows.ShouldBe(100_000);
            var many = Enumerable.Range(0, 500).Select(i => new RecordedSignal(new VariableRef("m", $"v{i}"), $"v{i}")).ToArray();
            using var wide = new ParquetRecorder(Path.Combine(_folder, "b.parquet"), many);
            wide.RowGroupRows.ShouldBe(ParquetRecorder.TargetGroupBytes / (8 * 501));
        }
    }
}
