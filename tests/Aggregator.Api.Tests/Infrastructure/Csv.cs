using System.Text;

namespace Aggregator.Api.Tests.Infrastructure;

/// <summary>A CSV answer as a client sees it, read with a small RFC 4180 parser of the tests' own.</summary>
public sealed record CsvBody(byte[] Bytes, string[] Header, List<string[]> Rows)
{
    public static async Task<CsvBody> Read(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.IsSuccessStatusCode, Encoding.UTF8.GetString(body));
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Equal([0xEF, 0xBB, 0xBF], body.Take(3));
        var records = Parse(new UTF8Encoding(false).GetString(body, 3, body.Length - 3));
        Assert.All(records, r => Assert.Equal(records[0].Length, r.Length));
        return new CsvBody(body, records[0], records.Skip(1).ToList());
    }

    /// <summary>The rows as dictionaries by header.</summary>
    public IEnumerable<Dictionary<string, string>> Records => Rows.Select(r => Header.Zip(r).ToDictionary(p => p.First, p => p.Second));

    public static List<string[]> Parse(string text)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '"' && field.Length == 0)
            {
                i++;
                while (true)
                {
                    if (text[i] == '"' && i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i += 2;
                    }
                    else if (text[i] == '"')
                    {
                        i++;
                        break;
                    }
                    else
                    {
                        field.Append(text[i++]);
                    }
                }
            }
            else if (text[i] == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
                i++;
            }
            else if (text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                fields.Add(field.ToString());
                field.Clear();
                records.Add(fields.ToArray());
                fields.Clear();
                i += 2;
            }
            else
            {
                Assert.NotEqual('\n', text[i]); // RFC 4180: records end with CRLF
                field.Append(text[i++]);
            }
        }
        Assert.True(fields.Count == 0 && field.Length == 0, "The last record must end with CRLF.");
        return records;
    }
}
