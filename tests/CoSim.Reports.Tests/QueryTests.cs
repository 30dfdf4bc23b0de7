using System.Globalization;
using CoSim.TestSupport;

namespace CoSim.Reports.Tests;

/// <summary><c>cosim query</c>: DuckDB reads CoSim's Parquet (an independent reader) and answers as the CSV of the same run says.</summary>
public class QueryTests
{
    private string _dir = "";
    private string _ssp = "";

    [OneTimeSetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("cosim-query-").FullName;
        _ssp = ExampleSystems.BuildSsp("TankLoop", Path.Combine(_dir, "loop"));
    }

    [OneTimeTearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Query_ParquetResult_SameAnswerAsTheCsvOfTheSameRun()
    {
        var csv = Path.Combine(_dir, "loop.csv");
        var parquet = Path.Combine(_dir, "loop.parquet");
        CosimProcess.Run(_dir, "run", _ssp, "--stop", "60", "-o", csv).ExitCode.ShouldBe(0);
        CosimProcess.Run(_dir, "run", _ssp, "--stop", "60", "-o", parquet).ExitCode.ShouldBe(0);
        var rows = ResultCsv.Load(csv);
        var level = rows.Values("Tank.level");
        var expected = rows.Times.Select((t, i) => (t, v: level[i])).Where(p => p.t > 30).Max(p => p.v);

        foreach (var file in new[] { parquet, csv })
        {
            var run = CosimProcess.Run(_dir, "query", file, "SELECT max(\"Tank.level\") AS peak, count(*) AS n FROM result WHERE time > 30");

            run.ExitCode.ShouldBe(0, run.ToString());
            var lines = run.StdOut.Trim().Split('\n');
            lines[0].ShouldBe("peak,n");
            var cells = lines[1].Split(',');
            double.Parse(cells[0], CultureInfo.InvariantCulture).ShouldBe(expected, file); // exact: the same float64 values
            long.Parse(cells[1], CultureInfo.InvariantCulture).ShouldBe(rows.Times.Count(t => t > 30));
        }
    }

    [Test]
    public void Query_GlobOverSweep_OneAnswerPerResultFile()
    {
        var sweep = Directory.CreateDirectory(Path.Combine(_dir, "sweep")).FullName;
        foreach (var stop in new[] { 10, 20, 30 })
            CosimProcess.Run(_dir, "run", _ssp, "--stop", stop.ToString(CultureInfo.InvariantCulture), "-o", Path.Combine(sweep, $"stop{stop}.parquet")).ExitCode.ShouldBe(0);

        var run = CosimProcess.Run(_dir, "query", Path.Combine(sweep, "*.parquet"), "SELECT file, max(time) AS last FROM result GROUP BY file ORDER BY last");

        run.ExitCode.ShouldBe(0, run.ToString());
        var lines = run.StdOut.Trim().Split('\n');
        lines.ShouldBe(["file,last", .. new[] { 10, 20, 30 }.Select(s => $"{Path.Combine(sweep, $"stop{s}.parquet")},{s}")], run.ToString());
    }

    [TestCase("SELEC 1", "Parser Error")]
    [TestCase("SELECT nosuchcolumn FROM result", "nosuchcolumn")]
    public void Query_BadSql_OneLineExit2(string sql, string expected)
    {
        var parquet = Path.Combine(_dir, "bad.parquet");
        if (!File.Exists(parquet)) CosimProcess.Run(_dir, "run", _ssp, "--stop", "1", "-o", parquet).ExitCode.ShouldBe(0);

        var run = CosimProcess.Run(_dir, "query", parquet, sql);

        run.ExitCode.ShouldBe(2, run.ToString());
        var lines = run.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(1, run.ToString());
        lines[0].ShouldStartWith("error: query on " + parquet + ": ");
        lines[0].ShouldContain(expected);
    }

    [Test]
    public void Query_DottedColumnUnquoted_HintSaysToQuoteIt()
    {
        var parquet = Path.Combine(_dir, "dotted.parquet");
        CosimProcess.Run(_dir, "run", _ssp, "--stop", "1", "-o", parquet).ExitCode.ShouldBe(0);

        var run = CosimProcess.Run(_dir, "query", parquet, "SELECT max(Tank.level) FROM result");

        run.ExitCode.ShouldBe(2, run.ToString());
        var lines = run.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(1, run.ToString());
        lines[0].ShouldContain("column names with dots need double quotes: write \"Tank.level\" (e.g. SELECT max(\"Tank.level\") FROM result)", Case.Sensitive, run.ToString());
    }

    [Test]
    public void Query_MissingFile_OneLineExit2()
    {
        var run = CosimProcess.Run(_dir, "query", "missing.parquet", "SELECT 1");

        run.ExitCode.ShouldBe(2, run.ToString());
        run.StdErr.Trim().ShouldBe("error: missing.parquet: no such file");
    }
}
