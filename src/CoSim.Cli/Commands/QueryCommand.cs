using System.CommandLine;
using System.Globalization;
using CoSim.Core;
using DuckDB.NET.Data;

namespace CoSim.Cli.Commands;

/// <summary>
/// <c>cosim query RESULTS "SQL"</c>: SQL (DuckDB) over one result file or a glob of them, exposed as the
/// view <c>result</c>; prints the answer as CSV.
/// </summary>
internal static class QueryCommand
{
    public static Command Create()
    {
        var results = new Argument<string>("RESULTS")
        {
            Description = "A result file (.parquet or .csv) or a glob of them in quotes, e.g. 'sweep/*.parquet'. A glob adds the column 'file' (which result a row is from).",
        };
        var sql = new Argument<string>("SQL")
        {
            Description = "The query; the results are the view 'result', e.g. \"SELECT max(\\\"Tank.level\\\") FROM result WHERE time > 100\" " +
                          "(quote column names that hold dots).",
        };
        var command = new Command("query",
            "Ask a result, or many (a sweep), a question in SQL (DuckDB): the results are the view 'result' with their columns 'time' and the signals. Prints CSV.")
        {
            results, sql,
        };
        command.SetAction(parse => CliOptions.Run(parse, _ => Query(parse.GetValue(results)!, parse.GetValue(sql)!)));
        return command;
    }

    private static int Query(string results, string sql)
    {
        var glob = results.IndexOfAny(['*', '?', '[']) >= 0;
        if (!glob && !File.Exists(results)) throw new InputException($"{results}: no such file");
        var parquet = results.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase);
        var source = SqlText(results);
        // One file: its columns as they are. Several: columns matched by name, plus where each row came from.
        var reader = parquet
            ? glob ? $"read_parquet({source}, filename = 'file', union_by_name = true)" : $"read_parquet({source})"
            : glob ? $"read_csv({source}, header = true, filename = 'file', union_by_name = true)" : $"read_csv({source}, header = true)";
        using var connection = new DuckDBConnection("DataSource=:memory:");
        try
        {
            connection.Open();
            using (var view = connection.CreateCommand())
            {
                view.CommandText = $"CREATE VIEW result AS SELECT * FROM {reader}";
                view.ExecuteNonQuery();
            }
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            using var rows = command.ExecuteReader();
            Console.WriteLine(string.Join(",", Enumerable.Range(0, rows.FieldCount).Select(i => Csv(rows.GetName(i)))));
            var cells = new string[rows.FieldCount];
            while (rows.Read())
            {
                for (var i = 0; i < cells.Length; i++) cells[i] = rows.IsDBNull(i) ? "" : Csv(Text(rows.GetValue(i)));
                Console.WriteLine(string.Join(",", cells));
            }
        }
        catch (DuckDBException e)
        {
            // DuckDB's messages name the problem and, for SQL, the position ("LINE 1: ... ^"): keep them, on one line.
            throw new InputException($"query on {results}: {string.Join(" ", e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))}{DottedNameHint(sql, connection)}");
        }
        return CliOptions.Success;
    }

    /// <summary>
    /// An unquoted <c>Tank.level</c> is, to SQL, column <c>level</c> of a table <c>Tank</c> (DuckDB then says
    /// <c>Referenced table "Tank" not found</c>): when the failed query writes a dotted column of the result
    /// without double quotes, say how to write it.
    /// </summary>
    private static string DottedNameHint(string sql, DuckDBConnection connection)
    {
        try
        {
            using var columns = connection.CreateCommand();
            columns.CommandText = "SELECT * FROM result LIMIT 0";
            using var reader = columns.ExecuteReader();
            var unquoted = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName)
                .Where(n => n.Contains('.') && Unquoted(sql, n)).MaxBy(n => n.Length);
            return unquoted == null ? "" : $"; column names with dots need double quotes: write \"{unquoted}\" (e.g. SELECT max(\"{unquoted}\") FROM result)";
        }
        catch (DuckDBException)
        {
            return ""; // the view itself is broken: DuckDB's message says why
        }
    }

    /// <summary>Whether <paramref name="sql"/> writes <paramref name="name"/> somewhere without a double quote before it.</summary>
    private static bool Unquoted(string sql, string name)
    {
        for (var at = sql.IndexOf(name, StringComparison.OrdinalIgnoreCase); at >= 0; at = sql.IndexOf(name, at + 1, StringComparison.OrdinalIgnoreCase))
            if (at == 0 || sql[at - 1] != '"') return true;
        return false;
    }

    private static string SqlText(string text) => "'" + text.Replace("'", "''") + "'";

    private static string Text(object value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Csv(string cell) => cell.IndexOfAny([',', '"', '\n', '\r']) < 0 ? cell : "\"" + cell.Replace("\"", "\"\"") + "\"";
}
