using Aggregator.Api.Infrastructure;
using Aggregator.Api.Infrastructure.Access;
using Aggregator.Domain;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Aggregator.Api.Features.Reports.SubmitReport;

public static class SubmitReportEndpoint
{
    /// <summary>The largest document accepted; a real one is about 20 KiB with its narratives.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    public static void MapSubmitReport(this IEndpointRouteBuilder reports) =>
        reports.MapPut("/{year:int}", Handle)
            .WithName("SubmitReport")
            .WithSummary("Submit or correct an agency's report for a year")
            .WithDescription("201 for the first revision, 200 with a new revision for a changed document, 200 with the same revision for an identical one. " +
                             "Consistency findings (R1–R6) are stored beside the published numbers; only hard errors (R7, shape, types) are refused.")
            .Accepts<ReportDocument>("application/json")
            .Audited("SubmitReport")
            .RequireApiKey()
            .ProducesProblem(404)
            .ProducesProblem(412)
            .ProducesProblem(413)
            .ProducesProblem(415);

    private static async Task<Results<Created<RevisionResponse>, Ok<RevisionResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        string code, int year, HttpRequest request, IMediator mediator, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            return Problem.Of(415, "Unsupported media type.", $"Send the report document as application/json; got '{request.ContentType ?? "no content type"}'.");
        }
        var body = await RequestBody.ReadAsync(request, MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return Problem.Of(413, "The request body is too large.", $"A report document is at most {MaxBodyBytes / 1024} KiB.");
        }
        var parsed = ReportDocumentJson.Parse(body);
        if (!parsed.Succeeded)
        {
            return TypedResults.ValidationProblem(
                parsed.Errors.GroupBy(e => e.Path).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
                title: "The report document is invalid; nothing was stored.");
        }

        var submitted = await mediator.Send(new SubmitReport(code, year, parsed.Document!, request.Headers.IfMatch.ToString()), cancellationToken);
        var revision = submitted.Revision;
        request.HttpContext.Response.Headers.ETag = revision.ETag;
        return submitted.Created
            ? TypedResults.Created($"/api/v1/agencies/{Uri.EscapeDataString(code)}/reports/{year}", revision)
            : TypedResults.Ok(revision);
    }
}
