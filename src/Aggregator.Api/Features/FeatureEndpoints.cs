namespace Aggregator.Api.Features;

/// <summary>Every slice's endpoint, mapped onto the <c>/api/v1</c> group, and the services a slice keeps of its own.</summary>
public static class FeatureEndpoints
{
    public static IServiceCollection AddFeatures(this IServiceCollection services) =>
        services.AddSingleton<Rollups.GetRollup.RollupCache>();

    public static void MapFeatures(this IEndpointRouteBuilder api)
    {
        Agencies.AgencyEndpoints.MapAgencies(api);
        Reports.ReportEndpoints.MapReports(api);
        Metrics.ListMetrics.ListMetricsEndpoint.Map(api);
        Rollups.GetRollup.GetRollupEndpoint.Map(api);
        Cells.ExportCells.ExportCellsEndpoint.Map(api);
        Imports.ImportReport.ImportReportEndpoint.Map(api);
        ApiKeys.ApiKeyEndpoints.MapApiKeys(api);
        Audit.ListAuditEvents.ListAuditEventsEndpoint.Map(api);
        Divisions.GetDivision.GetDivisionEndpoint.Map(api);
        Sectors.ListSectors.ListSectorsEndpoint.Map(api);
        Completeness.GetCompleteness.GetCompletenessEndpoint.Map(api);
        Findings.ListFindings.ListFindingsEndpoint.Map(api);
    }
}
