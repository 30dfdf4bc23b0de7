using CoSim.TestSupport;

namespace CoSim.EndToEnd.Tests;

/// <summary>Result files through the real <c>cosim</c>: Parquet beside CSV.</summary>
public class ResultFileTests
{
    private string _dir = "";

    [OneTimeSetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("cosim-results-").FullName;

    [OneTimeTearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Run_ParquetOutput_SameValuesAsCsvOfSameRun()
    {
        var ssp = ExampleSystems.BuildSsp("TankLoop", Path.Combine(_dir, "loop"));
        var csvPath = Path.Combine(_dir, "loop.csv");
        var parquetPath = Path.Combine(_dir, "loop.parquet");

        var a = CosimProcess.Run(_dir, "run", ssp, "--stop", "30", "--step", "0.01", "--record", "*", "-o", csvPath);
        var b = CosimProcess.Run(_dir, "run", ssp, "--stop", "30", "--step", "0.01", "--record", "*", "-o", parquetPath);

        a.ExitCode.ShouldBe(0, a.ToString());
        b.ExitCode.ShouldBe(0, b.ToString());
        b.StdOut.ShouldContain("3001 rows -> " + parquetPath);
        var csv = ResultCsv.Load(csvPath);
        var parquet = ResultParquet.Load(parquetPath);
        parquet.Columns.ShouldBe(csv.Columns);
        parquet.Rows.Count.ShouldBe(3001);
        for (var r = 0; r < csv.Rows.Count; r++)
            parquet.Rows[r].Select(BitConverter.DoubleToInt64Bits).ShouldBe(csv.Rows[r].Select(BitConverter.DoubleToInt64Bits), $"row {r}");
    }

    [Test]
    public void Simulate_FormatOptionWithoutOutput_WritesParquetDefaultName()
    {
        var result = CosimProcess.Run(_dir, "simulate", ExampleFmus.Path(2, "Tank"), "--stop", "5", "--format", "parquet");

        result.ExitCode.ShouldBe(0, result.ToString());
        var file = Path.Combine(_dir, "Tank_out.parquet");
        File.Exists(file).ShouldBeTrue(result.ToString());
        ResultParquet.Load(file).Columns[0].ShouldBe("time");
    }

    [Test]
    public void Simulate_FmuCrashesProcessWithParquetOutput_FileReadableUpToLastRowGroup()
    {
        var output = Path.Combine(_dir, "crash.parquet");
        // 250,000 rows before the SIGSEGV; two columns, so row groups of 100,000 rows.
        var run = CosimProcess.Run(_dir, "simulate", ExampleFmus.Path(2, "FaultCrash"),
            "--set", "crashStep=250000", "--stop", "300", "--step", "0.001", "--output", output);

        run.Crashed.ShouldBeTrue(run.ToString());
        var parquet = ResultParquet.Load(output);
        parquet.Columns.ShouldBe(["time", "x"]);
        parquet.RowGroups.ShouldBe(2);
        parquet.Rows.Count.ShouldBe(200_000);
        for (var i = 0; i < parquet.Rows.Count; i += 997) parquet.Rows[i][1].ShouldBe(i * 0.001, 1e-9); // x = time
    }
}
