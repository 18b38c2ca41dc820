namespace Aggregator.Cli;

/// <summary>What `aggregator import` was asked to do.</summary>
public sealed record ImportOptions(IReadOnlyList<string> Paths, Uri Api, string? Key, bool Submit, string? Agency, int? Year)
{
    public const string Usage = """
        Usage: aggregator import <file or folder>... --api <url> [--key <key>] [--submit] [--agency <code>] [--year <year>]

        Reads published reports (.txt, .html, .htm, .pdf, .docx; folders are searched recursively) and posts each to
        POST <url>/api/v1/imports. Without --submit nothing is stored: each report is read and checked.
        With --submit (needs --key) each report is stored as a revision of its agency's report; the agency and
        year come from the file name <agency-code>-<year>.txt (e.g. wusu-transport-2020.txt) unless --agency
        and --year name them (one file only).
        Exits 0 when every file imported, 1 when any failed, 2 on wrong usage.
        """;

    /// <summary>Parses the arguments after `import`; returns null with an error message when they are wrong.</summary>
    public static (ImportOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        var paths = new List<string>();
        string? api = null, key = Environment.GetEnvironmentVariable("AGGREGATOR_API_KEY"), agency = null;
        int? year = null;
        var submit = false;
        for (var i = 0; i < args.Count; i++)
        {
            string? Value() => i + 1 < args.Count ? args[++i] : null;
            switch (args[i])
            {
                case "--api": api = Value(); break;
                case "--key": key = Value(); break;
                case "--agency": agency = Value(); break;
                case "--year":
                    if (!int.TryParse(Value(), out var y))
                    {
                        return (null, "--year takes a year, e.g. --year 2020.");
                    }
                    year = y;
                    break;
                case "--submit": submit = true; break;
                case var option when option.StartsWith("--", StringComparison.Ordinal): return (null, $"Unknown option {option}.");
                default: paths.Add(args[i]); break;
            }
        }
        if (paths.Count == 0)
        {
            return (null, "Name at least one file or folder.");
        }
        if (api is null || !Uri.TryCreate(api, UriKind.Absolute, out var apiUri))
        {
            return (null, "--api takes the API's base URL, e.g. --api http://127.0.0.1:5080.");
        }
        if (submit && string.IsNullOrEmpty(key))
        {
            return (null, "--submit needs --key (or AGGREGATOR_API_KEY).");
        }
        return (new ImportOptions(paths, apiUri, key, submit, agency, year), null);
    }
}
