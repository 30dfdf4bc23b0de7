using System.Globalization;
using CoSim.Results;

namespace CoSim.Results.Tests;

public class CsvResultWriterTests
{
    [Test]
    public void WriteRow_Values_RoundTripExactlyInInvariantCulture()
    {
        var path = Path.GetTempFileName();
        try
        {
            var values = new[] { 0.1, 1.0 / 3, -1e-300, double.MaxValue, 12345678.9 };
            var old = CultureInfo.CurrentCulture;
            var comma = (CultureInfo)CultureInfo.InvariantCulture.Clone();
            comma.NumberFormat.NumberDecimalSeparator = ","; // would write "0,1" if the culture leaked in
            CultureInfo.CurrentCulture = comma;
            try
            {
                using var w = new CsvResultWriter(path, ["a", "b", "c", "d", "e"]);
                w.WriteRow(0.5, values);
            }
            finally
            {
                CultureInfo.CurrentCulture = old;
            }
            var lines = File.ReadAllLines(path);
            lines[0].ShouldBe("time,a,b,c,d,e");
            var cells = lines[1].Split(',');
            cells.Length.ShouldBe(6);
            cells.Skip(1).Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ShouldBe(values);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void WriteRow_ManyRowsBeforeDispose_FileAlwaysEndsWithWholeRow()
    {
        var path = Path.GetTempFileName();
        try
        {
            using var w = new CsvResultWriter(path, ["x"]) { FlushInterval = TimeSpan.FromDays(1) };
            for (var i = 0; i < 10_000; i++)
            {
                w.WriteRow(i, [i * 0.123456789]);
                if (i % 997 != 0) continue;
                // Read while writing: what is on disk must end at a row boundary.
                using var s = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                if (s.Length == 0) continue;
                s.Seek(-1, SeekOrigin.End);
                s.ReadByte().ShouldBe('\n');
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void WriteRow_DefaultPolicy_EachRowIsInTheFileBeforeTheNextOne()
    {
        var path = Path.GetTempFileName();
        try
        {
            using var w = new CsvResultWriter(path, ["x"]);
            for (var i = 0; i < 50; i++)
            {
                w.WriteRow(i * 0.1, [i]);
                // Another reader (or what is left after the process dies) sees the header and every row so far.
                using var s = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                using var r = new StreamReader(s);
                var lines = r.ReadToEnd().Split('\n');
                lines.Length.ShouldBe(i + 3); // header, i + 1 rows, and the empty string after the last '\n'
                lines[i + 1].ShouldBe(string.Create(CultureInfo.InvariantCulture, $"{i * 0.1},{i}"));
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void WriteRow_FlushIntervalSet_RowsStayBufferedUntilDispose()
    {
        var path = Path.GetTempFileName();
        try
        {
            using (var w = new CsvResultWriter(path, ["x"]) { FlushInterval = TimeSpan.FromDays(1) })
            {
                for (var i = 0; i < 10; i++) w.WriteRow(i, [i]);
                using var s = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                new StreamReader(s).ReadToEnd().ShouldBe("time,x\n");
            }
            File.ReadAllLines(path).Length.ShouldBe(11);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
