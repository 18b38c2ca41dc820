using System.Runtime.CompilerServices;

namespace Aggregator.Importer.Tests;

/// <summary>
/// The tests of what the importer reads run with a time budget of 30 s instead of 2 s: on a loaded 2-core CI machine
/// (load 20–30 seen) a Debug build can take over 2 s for a report, and a test of cells should not fail as a test of the
/// budget. The budget and the limits have tests of their own, which pass their options explicitly
/// (<see cref="HostileInputTests"/>, <see cref="ImporterFuzzTests"/>).
/// </summary>
internal static class ImporterTestOptions
{
    public static readonly ImporterOptions Production = new();

    [ModuleInitializer]
    internal static void Unhurried() => ImporterOptions.Default = new ImporterOptions { TimeBudget = TimeSpan.FromSeconds(30) };
}
