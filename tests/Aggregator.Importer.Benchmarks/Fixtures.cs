namespace Aggregator.Importer.Benchmarks;

internal static class Fixtures
{
    /// <summary>
    /// Reads a fixture linked into the output folder. BenchmarkDotNet runs each benchmark from a project it generates
    /// below that folder, so the fixtures are looked for in every folder up from where the code runs.
    /// </summary>
    public static string Read(string file) => File.ReadAllText(Find(file));

    public static byte[] Bytes(string file, string under = "reports") => File.ReadAllBytes(Find(file, under));

    private static string Find(string file, string under = "reports")
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var path = Path.Combine(folder.FullName, "Fixtures", under, file);
            if (File.Exists(path))
            {
                return path;
            }
        }
        throw new FileNotFoundException($"Fixture {file} not found above {AppContext.BaseDirectory}.");
    }
}
