using Aggregator.Tests;

namespace Aggregator.Domain.Tests;

public class MetricCatalogueTests
{
    /// <summary>Ids are storage keys: this list may only grow. Changing an existing line corrupts stored data.</summary>
    [Fact]
    public void Metric_ids_are_pinned()
    {
        var pinned = string.Join(",", MetricCatalogue.All.OrderBy(m => m.Id).Select(m => $"{m.Id}={m.Code}"));

        Assert.Equal(
            "1=proactive.regulations.issued,2=proactive.regulations.repealed,3=proactive.regulations.inForce," +
            "4=proactive.normativeDocuments.issued,5=proactive.normativeDocuments.repealed,6=proactive.normativeDocuments.inForce," +
            "7=proactive.fees.amount,10=proactive.licensing.decisions,11=proactive.penalty.decisions,12=proactive.coercion.decisions," +
            "20=proactive.regulations.newlyMade,21=proactive.regulations.newlyPublished,22=proactive.regulations.publishedTotal," +
            "23=proactive.normativeDocuments.newlyMade,24=proactive.normativeDocuments.newlyPublished,25=proactive.normativeDocuments.publishedTotal," +
            "26=proactive.licensing.itemsLastYear,27=proactive.licensing.itemsChange,28=proactive.otherServices.itemsLastYear," +
            "29=proactive.otherServices.itemsChange,30=proactive.otherServices.decisions,31=proactive.penalty.itemsLastYear," +
            "32=proactive.penalty.itemsChange,33=proactive.coercion.itemsLastYear,34=proactive.coercion.itemsChange," +
            "35=proactive.fees.itemsLastYear,36=proactive.fees.itemsChange,37=proactive.procurement.projects,38=proactive.procurement.amount," +
            "50=applications.newlyReceived,51=applications.carriedOver,52=applications.granted,53=applications.partiallyGranted," +
            "54=applications.denied.stateSecret,55=applications.denied.prohibitedByLaw,56=applications.denied.endangersSecurity," +
            "57=applications.denied.thirdPartyRights,58=applications.denied.internalAffairs,59=applications.denied.processInformation," +
            "60=applications.denied.enforcementCaseFile,61=applications.denied.administrativeQuery,62=applications.unableToProvide.notHeld," +
            "63=applications.unableToProvide.needsCreation,64=applications.unableToProvide.unclearAfterCorrection," +
            "65=applications.notProcessed.petitionComplaint,66=applications.notProcessed.duplicate,67=applications.notProcessed.publication," +
            "68=applications.notProcessed.excessive,69=applications.notProcessed.confirmOrReissue,70=applications.otherHandling," +
            "71=applications.otherHandling.noCorrection,72=applications.otherHandling.feeUnpaid,73=applications.otherHandling.other," +
            "74=applications.totalHandled,75=applications.carriedForward," +
            "90=appeals.review.upheld,91=appeals.review.corrected,92=appeals.review.other,93=appeals.review.pending,94=appeals.review.total," +
            "95=appeals.litigationDirect.upheld,96=appeals.litigationDirect.corrected,97=appeals.litigationDirect.other," +
            "98=appeals.litigationDirect.pending,99=appeals.litigationDirect.total,100=appeals.litigationAfterReview.upheld," +
            "101=appeals.litigationAfterReview.corrected,102=appeals.litigationAfterReview.other,103=appeals.litigationAfterReview.pending," +
            "104=appeals.litigationAfterReview.total",
            pinned);
    }

    [Theory]
    [InlineData("2019", 22, 23, 15)]
    [InlineData("2021", 10, 25, 15)]
    public void Each_edition_has_the_template_rows(string code, int proactive, int applicationRows, int appeals)
    {
        Editions.TryParse(code, out var edition);
        var fields = MetricCatalogue.FieldsOf(edition).ToArray();

        Assert.Equal(proactive, fields.Count(m => m.Code.StartsWith("proactive.")));
        Assert.Equal(applicationRows, fields.Count(m => m.HasApplicants));
        Assert.Equal(appeals, fields.Count(m => m.Code.StartsWith("appeals.")));
    }

    [Fact]
    public void Only_decisions_compare_across_editions_in_part_two()
    {
        var comparable = MetricCatalogue.All.Where(m => m.Code.StartsWith("proactive.") && m.ComparesAcrossEditions).Select(m => m.Code);

        Assert.Equal(["proactive.licensing.decisions", "proactive.penalty.decisions", "proactive.coercion.decisions"], comparable);
        Assert.True(MetricCatalogue.Get("applications.otherHandling").ComparesAcrossEditions);
        Assert.False(MetricCatalogue.Get("applications.otherHandling.other").ComparesAcrossEditions);
    }
}
