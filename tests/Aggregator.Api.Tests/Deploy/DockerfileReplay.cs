using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Aggregator.Api.Tests.Deploy;

/// <summary>One instruction of a Dockerfile: its keyword (upper case), its flags (<c>--from=build</c>) and the rest.</summary>
public sealed record DockerInstruction(int Line, string Keyword, IReadOnlyDictionary<string, string> Flags, string Arguments);

/// <summary>A build stage: its name, base image and, once replayed, the folder standing for its file system.</summary>
public sealed class DockerStage(string name, string image, string root)
{
    public string Name { get; } = name;
    public string Image { get; } = image;
    public string Root { get; } = root;
    public string WorkDirectory { get; set; } = "/";
    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);
    public List<DockerInstruction> Instructions { get; } = [];

    /// <summary>An absolute path of the stage's file system as a path on this machine.</summary>
    public string Host(string path) => Path.Combine(Root, path.TrimStart('/'));

    public string Resolve(string path) => path.StartsWith('/') ? path : $"{WorkDirectory.TrimEnd('/')}/{path}";
}

/// <summary>
/// Replays a Dockerfile's file steps on this machine, where no container engine is: each stage gets a folder for its
/// file system, <c>COPY</c> copies from the build context (what <c>.dockerignore</c> leaves) or from an earlier stage,
/// <c>RUN</c> runs its shell command in the stage's working folder with the stage's own absolute paths mapped into
/// its folder, and <c>ENV</c>, <c>USER</c>, <c>HEALTHCHECK</c>, <c>ENTRYPOINT</c> are kept for the caller to check.
/// The base images' own files are the machine's (the .NET SDK and runtime), so what this proves is that the steps
/// work from only the files they copy. Any other instruction is refused, to keep the Dockerfile replayable.
/// </summary>
public sealed partial class DockerfileReplay
{
    private static readonly HashSet<string> Supported =
        ["FROM", "ARG", "WORKDIR", "COPY", "RUN", "ENV", "EXPOSE", "USER", "HEALTHCHECK", "ENTRYPOINT", "LABEL"];

    private readonly string context;
    private readonly DockerIgnore ignore;
    private readonly StringBuilder log = new();

    public DockerfileReplay(string context, string dockerfile, string work)
    {
        this.context = context;
        ignore = DockerIgnore.Load(Path.Combine(context, ".dockerignore"));
        DockerStage? stage = null;
        foreach (var instruction in Parse(File.ReadAllText(Path.Combine(context, dockerfile))))
        {
            if (!Supported.Contains(instruction.Keyword))
            {
                throw new InvalidOperationException($"{dockerfile} line {instruction.Line}: {instruction.Keyword} is not replayable here.");
            }
            if (instruction.Keyword == "FROM")
            {
                var words = instruction.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var name = words.Length == 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? words[2] : $"stage{Stages.Count}";
                stage = new DockerStage(name, words[0], Path.Combine(work, name));
                Directory.CreateDirectory(stage.Root);
                Stages.Add(stage);
            }
            else
            {
                (stage ?? throw new InvalidOperationException($"{dockerfile} line {instruction.Line}: {instruction.Keyword} before FROM.")).Instructions.Add(instruction);
            }
        }
    }

    public List<DockerStage> Stages { get; } = [];

    public DockerStage Final => Stages[^1];

    public string Log => log.ToString();

    /// <summary>The last value an instruction of the final stage was given (USER, HEALTHCHECK, ENTRYPOINT, EXPOSE).</summary>
    public string? Last(string keyword) => Final.Instructions.LastOrDefault(i => i.Keyword == keyword)?.Arguments;

    /// <summary>Runs every stage in order; throws with the log of the step that failed.</summary>
    public async Task RunAsync(TimeSpan timeoutPerStep)
    {
        foreach (var stage in Stages)
        {
            foreach (var instruction in stage.Instructions)
            {
                log.AppendLine($"[{stage.Name}] {instruction.Keyword} {instruction.Arguments}");
                switch (instruction.Keyword)
                {
                    case "WORKDIR":
                        stage.WorkDirectory = stage.Resolve(instruction.Arguments);
                        Directory.CreateDirectory(stage.Host(stage.WorkDirectory));
                        break;
                    case "ENV":
                        foreach (var (name, value) in Assignments(instruction.Arguments))
                        {
                            stage.Environment[name] = value;
                        }
                        break;
                    case "COPY":
                        Copy(stage, instruction);
                        break;
                    case "RUN":
                        await Run(stage, instruction, timeoutPerStep);
                        break;
                }
            }
        }
    }

    private void Copy(DockerStage stage, DockerInstruction instruction)
    {
        var words = instruction.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var destination = stage.Host(stage.Resolve(words[^1]));
        var from = instruction.Flags.TryGetValue("from", out var name)
            ? Stages.Single(s => s.Name == name)
            : null;
        foreach (var source in words[..^1])
        {
            var sourcePath = from is null ? Path.Combine(context, source) : from.Host(source);
            var root = from is null ? context : from.Root;
            if (File.Exists(sourcePath))
            {
                var target = words[^1].EndsWith('/') || Directory.Exists(destination) ? Path.Combine(destination, Path.GetFileName(sourcePath)) : destination;
                CopyFile(sourcePath, target);
                continue;
            }
            if (!Directory.Exists(sourcePath))
            {
                throw new InvalidOperationException($"COPY {source}: not in the {(from is null ? "build context" : $"stage {from.Name}")}.");
            }
            foreach (var file in Directory.EnumerateFiles(sourcePath, "*", SearchOption.AllDirectories))
            {
                var relativeToRoot = Path.GetRelativePath(root, file).Replace('\\', '/');
                if (from is null && ignore.Excludes(relativeToRoot))
                {
                    continue;
                }
                CopyFile(file, Path.Combine(destination, Path.GetRelativePath(sourcePath, file)));
            }
        }
    }

    private static void CopyFile(string from, string to)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(to)!);
        File.Copy(from, to, overwrite: true);
    }

    private async Task Run(DockerStage stage, DockerInstruction instruction, TimeSpan timeout)
    {
        // The stage's own absolute paths are its folder's: those under a folder it has (/src) or that a later stage
        // copies from it (/app, which `publish -o /app` creates). Others (/bin/sh, /usr/…) are the machine's.
        var copiedFrom = Stages.SelectMany(s => s.Instructions)
            .Where(i => i.Keyword == "COPY" && i.Flags.GetValueOrDefault("from") == stage.Name)
            .SelectMany(i => i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..^1])
            .Select(source => source.TrimStart('/').Split('/')[0])
            .ToHashSet(StringComparer.Ordinal);
        var command = AbsolutePath().Replace(instruction.Arguments, m =>
            Directory.Exists(stage.Host(m.Groups["first"].Value)) || copiedFrom.Contains(m.Groups["first"].Value)
                ? m.Groups["lead"].Value + stage.Host(m.Groups["path"].Value)
                : m.Value);
        var start = new ProcessStartInfo("/bin/sh")
        {
            ArgumentList = { "-c", command },
            WorkingDirectory = stage.Host(stage.WorkDirectory),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in stage.Environment)
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"RUN {instruction.Arguments} took more than {timeout}.\n{Log}");
        }
        log.AppendLine(await output).AppendLine(await errors);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"RUN {instruction.Arguments} (line {instruction.Line}) exited with {process.ExitCode}.\n{Log}");
        }
    }

    /// <summary>Instructions with their continuation lines joined; comments and parser directives dropped.</summary>
    public static IEnumerable<DockerInstruction> Parse(string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var first = i + 1;
            var joined = new StringBuilder();
            while (line.EndsWith('\\') && i + 1 < lines.Length)
            {
                joined.Append(line[..^1]).Append(' ');
                line = lines[++i].Trim();
            }
            joined.Append(line);
            var match = InstructionPattern().Match(joined.ToString());
            var flags = match.Groups["flag"].Captures.Select(c => c.Value.Split('=', 2))
                .ToDictionary(f => f[0], f => f.Length > 1 ? f[1] : "", StringComparer.Ordinal);
            yield return new DockerInstruction(first, match.Groups["keyword"].Value.ToUpperInvariant(), flags, match.Groups["rest"].Value.Trim());
        }
    }

    /// <summary><c>A=1 B="two words"</c> → (A, 1), (B, two words).</summary>
    public static IEnumerable<(string Name, string Value)> Assignments(string text) =>
        AssignmentPattern().Matches(text).Select(m => (m.Groups["name"].Value, m.Groups["value"].Value.Trim('"')));

    [GeneratedRegex(@"^(?<keyword>[A-Za-z]+)(\s+--(?<flag>[a-z-]+(=\S*)?))*\s*(?<rest>.*)$")]
    private static partial Regex InstructionPattern();

    [GeneratedRegex(@"(?<name>[A-Za-z_][A-Za-z0-9_]*)=(?<value>""[^""]*""|\S*)")]
    private static partial Regex AssignmentPattern();

    [GeneratedRegex(@"(?<lead>^|[\s=""'])(?<path>/(?<first>[A-Za-z0-9_.-]+)(/[^\s""';]*)?)")]
    private static partial Regex AbsolutePath();
}

/// <summary>
/// The build context's exclusions as Docker reads <c>.dockerignore</c>: patterns relative to the context, <c>*</c>
/// within one path segment, <c>**</c> across any, <c>!</c> re-includes, the last matching line wins, and a pattern
/// that matches a folder excludes everything under it.
/// </summary>
public sealed class DockerIgnore(IReadOnlyList<(Regex Pattern, bool Include)> rules)
{
    public static DockerIgnore Load(string path)
    {
        if (!File.Exists(path))
        {
            return new DockerIgnore([]);
        }
        var rules = new List<(Regex, bool)>();
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var include = line.StartsWith('!');
            var pattern = (include ? line[1..] : line).Trim('/');
            var regex = new StringBuilder("^");
            for (var i = 0; i < pattern.Length; i++)
            {
                if (pattern[i] == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
                {
                    regex.Append(i + 2 < pattern.Length && pattern[i + 2] == '/' ? "(.*/)?" : ".*");
                    i += i + 2 < pattern.Length && pattern[i + 2] == '/' ? 2 : 1;
                }
                else
                {
                    regex.Append(pattern[i] switch { '*' => "[^/]*", '?' => "[^/]", _ => Regex.Escape(pattern[i].ToString()) });
                }
            }
            rules.Add((new Regex(regex.Append("(/.*)?$").ToString(), RegexOptions.CultureInvariant), include));
        }
        return new DockerIgnore(rules);
    }

    public bool Excludes(string relativePath)
    {
        var excluded = false;
        foreach (var (pattern, include) in rules)
        {
            if (pattern.IsMatch(relativePath))
            {
                excluded = !include;
            }
        }
        return excluded;
    }
}
