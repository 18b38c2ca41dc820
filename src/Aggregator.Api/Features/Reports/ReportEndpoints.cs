using Aggregator.Api.Features.Reports.CompareReports;
using Aggregator.Api.Features.Reports.DiffRevisions;
using Aggregator.Api.Features.Reports.GetReport;
using Aggregator.Api.Features.Reports.ListReports;
using Aggregator.Api.Features.Reports.ListRevisions;
using Aggregator.Api.Features.Reports.SubmitReport;

namespace Aggregator.Api.Features.Reports;

public static class ReportEndpoints
{
    public static void MapReports(this IEndpointRouteBuilder api)
    {
        var agencyReports = api.MapGroup("/agencies/{code}/reports").WithTags("Reports");
        agencyReports.MapSubmitReport();
        agencyReports.MapGetReport();
        agencyReports.MapListRevisions();
        agencyReports.MapDiffRevisions();
        agencyReports.MapCompareReports();
        api.MapGroup("/reports").WithTags("Reports").MapListReports();
    }
}
