namespace Aggregator.Domain.Tests;

public class SectorCatalogueTests
{
    [Theory]
    [InlineData("乌苏市交通运输局", "transport")]
    [InlineData("沭阳县发展和改革局", "development-reform")]
    [InlineData("淮安市人民政府", "government")]
    [InlineData("平潭综合实验区管委会", "government")]
    [InlineData("某市卫生健康委员会", "health")]
    [InlineData("某县市场监督管理局", "market-regulation")]
    [InlineData("某市住房公积金管理中心", "housing-fund")]
    [InlineData("某市公安局交通警察支队", "public-security")]
    public void An_agency_name_proposes_its_sector(string name, string sector)
    {
        Assert.Equal(sector, SectorCatalogue.Propose(name)?.Code);
    }

    [Fact]
    public void A_name_without_a_keyword_proposes_nothing_and_codes_are_unique()
    {
        Assert.Null(SectorCatalogue.Propose("某某中心"));
        Assert.Equal(SectorCatalogue.All.Count, SectorCatalogue.All.Select(s => s.Code).Distinct().Count());
        Assert.InRange(SectorCatalogue.All.Count, 40, 50);
    }
}
