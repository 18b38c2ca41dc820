using Aggregator.Api.Infrastructure.Access;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Aggregator.Api.Infrastructure.OpenApi;

/// <summary>
/// The document as a whole: the server (this one, by a relative URL), what each tag holds, and the security every
/// operation has unless it says otherwise — no key, or a key (reads need none unless RequireKeyForReads is on; a key
/// scopes what a region or bureau sees). Operations that need a key say so themselves (<see cref="ApiKeyOperationFilter"/>).
/// </summary>
public sealed class DocumentInfoFilter : IDocumentFilter
{
    private static readonly Dictionary<string, string> Tags = new()
    {
        ["Agencies"] = "机关 — the agencies that report: register, look up, list.",
        ["Reports"] = "年度报告 — submit a report document (every correction kept as a revision), read it, its revisions, diffs and comparisons; list reports; bulk NDJSON.",
        ["Rollups"] = "汇总 — sums of metrics over the latest revisions, grouped by region, sector, agency, year or applicant column.",
        ["Cells"] = "单元格 — every cell in long form, paged or as CSV.",
        ["Completeness"] = "报送情况 — who has reported for a year, who is missing, who was late.",
        ["Findings"] = "勾稽问题 — the consistency findings (R1–R6) of the latest revisions, with the cells each rule reads.",
        ["Imports"] = "导入 — read a published report (text, HTML, PDF, Word) into a document, and optionally submit it.",
        ["Metrics"] = "指标 — the metric catalogue of the national template, both editions.",
        ["Divisions"] = "行政区划 — GB/T 2260 divisions and their children.",
        ["Sectors"] = "部门类别 — the sectors an agency belongs to.",
        ["API keys"] = "密钥 — issue, list and revoke API keys (admin, region, bureau).",
        ["Audit"] = "审计 — what happened: registrations, submissions, corrections, refused attempts.",
    };

    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        document.Servers = [new OpenApiServer { Url = "/", Description = "This server" }];
        var used = document.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []).SelectMany(o => o.Tags ?? new HashSet<OpenApiTagReference>())
            .Select(t => t.Name).ToHashSet();
        document.Tags = new HashSet<OpenApiTag>(Tags.Where(t => used.Contains(t.Key)).Select(t => new OpenApiTag { Name = t.Key, Description = t.Value }));
        document.Security =
        [
            new OpenApiSecurityRequirement(),
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyAuthenticationHandler.SchemeName, document)] = [] },
        ];
    }
}
