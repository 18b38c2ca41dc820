using Aggregator.Importer.Reading;

namespace Aggregator.Importer.Tests;

public sealed class GlueSplitterTests
{
    private static bool HoldsR2(long[] c) => c[0] + c[1] + c[2] + c[3] + c[4] + c[5] == c[6];

    [Fact]
    public void Finds_the_only_cut_where_the_total_is_the_sum()
    {
        var cuts = GlueSplitter.Splits(["640020470"], 7, HoldsR2);

        Assert.Equal([64L, 0, 0, 2, 0, 4, 70], Assert.Single(cuts!));
    }

    [Fact]
    public void Finds_every_cut_when_the_sum_allows_several()
    {
        var cuts = GlueSplitter.Splits(["270020130"], 7, HoldsR2)!;

        Assert.Equal(2, cuts.Count);
        Assert.Contains(cuts, c => c.SequenceEqual([27L, 0, 0, 2, 0, 1, 30]));
        Assert.Contains(cuts, c => c.SequenceEqual([2L, 7, 0, 0, 20, 1, 30]));
    }

    [Fact]
    public void Keeps_runs_apart_and_never_writes_a_leading_zero()
    {
        Assert.Equal([5L, 0, 0, 0, 0, 0, 5], Assert.Single(GlueSplitter.Splits(["500000", "5"], 7, HoldsR2)!));
        Assert.Empty(GlueSplitter.Splits(["00000002"], 7, HoldsR2)!);
        Assert.Empty(GlueSplitter.Splits(["2626"], 7, HoldsR2)!);
    }

    [Fact]
    public void Gives_up_on_runs_too_long_to_enumerate()
    {
        Assert.Null(GlueSplitter.Splits([new string('1', 80)], 7, HoldsR2));
    }
}
