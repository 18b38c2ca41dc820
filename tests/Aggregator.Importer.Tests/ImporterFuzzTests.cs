using System.Diagnostics;
using System.Text;
using CsCheck;
using Xunit.Abstractions;

namespace Aggregator.Importer.Tests;

/// <summary>
/// Issue #10: mutated fixtures (the converter markdown too) and the hostile shapes at random sizes, all under 5 MiB,
/// through every entry point. No exception escapes and no input takes more than a second of CPU (see
/// <see cref="ThreadClock"/>; the longest wall time is reported). Bounded for CI (a few hundred inputs, one thread) and
/// seeded: the seed is printed with the figures, and a failure prints the input that failed. It runs alone, after the
/// other tests, so their work does not count in its timings.
/// </summary>
[CollectionDefinition(nameof(ImporterFuzzTests), DisableParallelization = true)]
[Collection(nameof(ImporterFuzzTests))]
public sealed class ImporterFuzzTests(ITestOutputHelper output)
{
    private const int Inputs = 300;
    private const int MaxBytes = 5 << 20;
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(1);
    private static readonly string Seed = new PCG(10, 20261201).ToString();

    private static readonly string[] Sources =
    [
        .. Fixtures.Sources().Select(s => Fixtures.Read(s.Name, s.Format)),
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "markdown", "pingtan-2021.converter.md")),
    ];

    private static readonly string[] Snippets =
    [
        "<div>", "</div>", "<!--", "-->", "<table>", "</table>", "<tr>", "<td>", "</td>", "<td rowspan=\"0\">", "<td colspan=\"5000\">",
        "<b>", "<a>", "<p>", "<script>", "<svg>", "<path/>", "<", ">", "\"", "'", "<td x=\"", "\t", "\n", "\n\n", " ", "    ", "\u3000",
        "\v", "1", "0", "0000000", "12,345", "24252.311082", "251000元", "22(其中修订16件)", "(", ")", "【", "第1条", "第二十条第(一)项",
        "(单位:万元)", "-4-", "第 4 页", "一、", "3、", "(七)", "本年新收政府信息公开申请数量", "总计", "行政处罚", "本年制发件数",
        "其他法律、行政法规禁止公开", "一、总体情况", "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题", "2023年政府信息公开工作年度报告",
        "١٢", "\uE000", "\uFEFF", "\r\n",
    ];

    private sealed record Input(string Kind, string Text, bool Html, bool Bytes)
    {
        public override string ToString() => $"{Kind} ({Text.Length:N0} chars, {(Html ? "html" : "text")}{(Bytes ? ", bytes" : "")}): {Text[..Math.Min(200, Text.Length)]}";
    }

    // A fixture with a few edits: a snippet inserted (now and then repeated thousands of times), a range cut or doubled.
    private static readonly Gen<Input> Mutated =
        from source in Gen.Int[0, Sources.Length - 1]
        from edits in Gen.Select(Gen.Int[0, 2], Gen.Double[0, 1], Gen.Int[0, Snippets.Length - 1], Gen.Frequency((8, Gen.Int[1, 3]), (1, Gen.Int[100, 20_000]))).Array[1, 12]
        from bytes in Gen.Bool
        select Mutate(source, edits, bytes);

    private static readonly Gen<Input> Hostile =
        from shape in Gen.Int[0, 5]
        from size in Gen.Int[1_000, MaxBytes - 200]
        from bytes in Gen.Bool
        select Shape(shape, size, bytes);

    [Fact]
    public void No_input_under_5_MiB_throws_or_takes_more_than_a_second()
    {
        ReportImporter.ImportText(""); // the first import of the process warms up outside the measurement
        var count = 0;
        var slowest = (Ms: 0.0, Input: (Input?)null);
        long peak = 0;
        var wallest = 0.0;
        foreach (var input in Replayed.Inputs(Gen.Frequency((4, Mutated), (1, Hostile)), Seed, Inputs))
        {
            Assert.True(Encoding.UTF8.GetByteCount(input.Text) < MaxBytes, "inputs stay under 5 MiB");
            var body = input.Bytes ? Encoding.UTF8.GetBytes(input.Text) : null;
            var watch = Stopwatch.StartNew();
            var cpu = ThreadClock.Now();
            var result = body is not null ? ReportImporter.Import(body, input.Html ? "text/html" : "text/plain", null)
                : input.Html ? ReportImporter.ImportHtml(input.Text) : ReportImporter.ImportText(input.Text);
            var elapsed = ThreadClock.Now() - cpu;
            wallest = Math.Max(wallest, watch.Elapsed.TotalMilliseconds);
            peak = Math.Max(peak, GC.GetTotalMemory(false));
            count++;
            if (elapsed.TotalMilliseconds > slowest.Ms)
            {
                slowest = (elapsed.TotalMilliseconds, input);
            }
            Assert.NotNull(result);
            Assert.True(elapsed < Limit, $"{elapsed.TotalMilliseconds:0} ms of CPU for input {count} of seed {Seed}, {input}; refusal: {result.Refusal?.Reason}");
        }

        var report = $"text seed {Seed}: {count} inputs; slowest {slowest.Ms:0} ms of CPU, {slowest.Input!.Kind}, {Encoding.UTF8.GetByteCount(slowest.Input.Text):N0} bytes; "
                     + $"longest wall time {wallest:0} ms; managed heap peak {peak / (1024 * 1024)} MiB (sampled after each input)";
        output.WriteLine(report);
        Console.WriteLine(report);
    }

    private static Input Mutate(int source, (int Op, double At, int Snippet, int Repeat)[] edits, bool bytes)
    {
        var html = Sources[source].TrimStart().StartsWith('<');
        return new Input($"fixture {source} with {edits.Length} edit(s)", TestImports.Edited(Sources[source], edits, Snippets), html, bytes);
    }

    private static Input Shape(int shape, int bytes, bool asBytes) => shape switch
    {
        0 => new("number then spaces", HostileInputs.NumberThenSpaces(bytes), false, asBytes),
        1 => new("label, clause number, spaces", HostileInputs.LabelClauseSpaces(bytes), false, asBytes),
        2 => new("nested divs", HostileInputs.NestedDivs(bytes / 11), true, asBytes),
        3 => new("comment openers", HostileInputs.CommentOpeners(bytes), true, asBytes),
        4 => new("one table row", HostileInputs.OneTableRow(bytes), true, asBytes),
        _ => new("rowspan 0, wide", HostileInputs.RowspanZero(1 + bytes / 20_000, 1 + bytes / 20_000), true, asBytes),
    };
}
