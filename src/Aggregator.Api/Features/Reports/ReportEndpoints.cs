namespace Aggregator.Api.Features.Reports;

public static class ReportEndpoints
{
    public static void MapReports(this IEndpointRouteBuilder api)
    {
        var agencyReports = api.MapGroup("/agencies/{code}/reports").WithTags("Reports");
        SubmitReport.SubmitReportEndpoint.Map(agencyReports);
        GetReport.GetReportEndpoint.Map(agencyReports);
        ListRevisions.ListRevisionsEndpoint.Map(agencyReports);
        DiffRevisions.DiffRevisionsEndpoint.Map(agencyReports);
        CompareReports.CompareReportsEndpoint.Map(agencyReports);
        var reports = api.MapGroup("/reports").WithTags("Reports");
        ListReports.ListReportsEndpoint.Map(api);
        SubmitReports.SubmitReportsEndpoint.Map(reports);
    }
}
