using System.Text;
using System.Text.RegularExpressions;

namespace Aggregator.Api.Tests.Readme;

/// <summary>A <c>curl</c> command of the README: its lines (1-based, inclusive), its text and the status it should answer.</summary>
public sealed record CurlExample(int FirstLine, int LastLine, string Text, int? ExpectedStatus)
{
    public bool Accepts(int status) => ExpectedStatus is { } expected ? status == expected : status is >= 200 and < 300;

    public string Expectation => ExpectedStatus?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "2xx";
}

/// <summary>
/// The README's ```bash blocks as one bash script, and the curl examples in them. Blocks of any other language
/// (```sh for <c>dotnet run</c> and the like, ```json for answers) are shown, never run; a curl command in one of them
/// is an error, so no example escapes the test. A curl command's expected status is 2xx unless its last line ends in a
/// comment <c># → NNN</c>.
/// </summary>
public sealed partial class ReadmeScript
{
    public const string Fence = "```";

    private ReadmeScript(IReadOnlyList<(int Line, string Text)> lines, IReadOnlyList<CurlExample> curls, IReadOnlyList<string> errors)
    {
        Lines = lines;
        Curls = curls;
        Errors = errors;
    }

    /// <summary>Every line of the bash blocks with its README line number, in README order.</summary>
    public IReadOnlyList<(int Line, string Text)> Lines { get; }

    public IReadOnlyList<CurlExample> Curls { get; }

    /// <summary>What makes the README unfit to run: curl outside a bash block, two curls in one command.</summary>
    public IReadOnlyList<string> Errors { get; }

    public static ReadmeScript Parse(string markdown)
    {
        var lines = new List<(int, string)>();
        var errors = new List<string>();
        string? language = null;
        var number = 0;
        foreach (var text in markdown.Split('\n').Select(l => l.TrimEnd('\r')))
        {
            number++;
            var trimmed = text.TrimStart();
            if (trimmed.StartsWith(Fence, StringComparison.Ordinal))
            {
                language = language is null ? trimmed[Fence.Length..].Trim() : null;
                continue;
            }
            if (language == "bash")
            {
                lines.Add((number, text));
            }
            else if (language is not null && CurlCount(Code(text)) > 0)
            {
                errors.Add($"README line {number}: curl in a ```{language} block, which the README test does not run; make the block ```bash.");
            }
        }
        var curls = new List<CurlExample>();
        foreach (var (first, last, code, comment) in Commands(lines))
        {
            switch (CurlCount(code))
            {
                case 0:
                    break;
                case 1:
                    var expected = ExpectedStatus().Match(comment);
                    curls.Add(new CurlExample(first, last, code, expected.Success ? int.Parse(expected.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null));
                    break;
                default:
                    errors.Add($"README lines {first}–{last}: more than one curl in a command; give each its own line so its status can be checked.");
                    break;
            }
        }
        return new ReadmeScript(lines, curls, errors);
    }

    /// <summary>
    /// The script: <paramref name="preamble"/>, then the blocks. Returns the README line of each script line (0 for
    /// the preamble's), so a line number bash reports can be traced back to the README.
    /// </summary>
    public (string Script, int[] ReadmeLines) Build(IEnumerable<string> preamble, Func<string, string> rewrite)
    {
        var script = new StringBuilder();
        var readmeLines = new List<int> { 0 }; // bash counts lines from 1
        foreach (var line in preamble)
        {
            script.Append(line).Append('\n');
            readmeLines.Add(0);
        }
        foreach (var (line, text) in Lines)
        {
            script.Append(rewrite(text)).Append('\n');
            readmeLines.Add(line);
        }
        return (script.ToString(), readmeLines.ToArray());
    }

    /// <summary>Logical commands: physical lines joined where a line ends in a backslash; comment-only lines skipped.</summary>
    private static IEnumerable<(int First, int Last, string Code, string Comment)> Commands(List<(int Line, string Text)> lines)
    {
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].Text.TrimStart().StartsWith('#') || lines[i].Text.Trim().Length == 0)
            {
                continue;
            }
            var first = lines[i].Line;
            var code = new StringBuilder();
            while (lines[i].Text.EndsWith('\\') && i + 1 < lines.Count && lines[i + 1].Line == lines[i].Line + 1)
            {
                code.Append(lines[i].Text[..^1]).Append(' ');
                i++;
            }
            var lastCode = Code(lines[i].Text);
            code.Append(lastCode);
            yield return (first, lines[i].Line, code.ToString().Trim(), lines[i].Text[lastCode.Length..]);
        }
    }

    /// <summary>The line without its trailing comment: a <c>#</c> that starts a word outside quotes.</summary>
    private static string Code(string line)
    {
        char? quote = null;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote is not null)
            {
                quote = c == quote ? null : quote;
            }
            else if (c is '\'' or '"')
            {
                quote = c;
            }
            else if (c == '#' && (i == 0 || char.IsWhiteSpace(line[i - 1])))
            {
                return line[..i];
            }
        }
        return line;
    }

    private static int CurlCount(string code) => CurlWord().Count(code);

    /// <summary>curl where a command starts: at the line's start, after a pipe, <c>;</c>, <c>&amp;&amp;</c> or <c>$(</c>.</summary>
    [GeneratedRegex(@"(?:^|[|;&(])\s*curl(?=\s)")]
    private static partial Regex CurlWord();

    [GeneratedRegex(@"^\s*#\s*→\s*(\d{3})\b")]
    private static partial Regex ExpectedStatus();
}
