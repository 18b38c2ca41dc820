using System.Net.Http.Headers;
using Aggregator.Api.Infrastructure;
using Aggregator.Api.Infrastructure.Access;
using Mediator;

namespace Aggregator.Api.Features.Imports.ImportReport;

public static class ImportReportEndpoint
{
    public const int MaxBodyBytes = 5 * 1024 * 1024;
    private static readonly string[] MediaTypes = ["text/plain", "text/html"];

    public static void MapImports(this IEndpointRouteBuilder api) =>
        api.MapPost("/imports", Handle)
            .WithTags("Imports")
            .WithName("ImportReport")
            .WithSummary("Read a published report (text or HTML) into the report document; optionally submit it")
            .WithDescription("Body: the report as text/plain or text/html (UTF-8, or GB18030/GBK/GB2312 named by the charset parameter or a <meta charset>). " +
                             "Nothing is stored unless submit=true, which needs agency and year (year defaults to the one in the title) and the API key; " +
                             "a result with blocking diagnostics is then refused with 422.")
            .Accepts<string>("text/plain", "text/html")
            .Audited("ImportReport", request => IsSubmission(request))
            .WithMetadata(new RequiresApiKeyMetadata(Optional: true))
            .ProducesProblem(401)
            .ProducesProblem(403)
            .ProducesProblem(404)
            .ProducesProblem(413)
            .ProducesProblem(415)
            .ProducesProblem(422);

    private static bool IsSubmission(HttpRequest request) => bool.TryParse(request.Query["submit"], out var submit) && submit;

    private static async Task<Results<Ok<ImportResponse>, Created<ImportResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        HttpRequest request, IMediator mediator, CancellationToken cancellationToken,
        string? agency = null, int? year = null, bool submit = false)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType) || !MediaTypes.Contains(contentType.MediaType?.ToLowerInvariant()))
        {
            return Problem.Of(415, "Unsupported media type.", $"Send the published report as text/plain or text/html; got '{request.ContentType ?? "no content type"}'.");
        }
        if (submit)
        {
            if (await ApiKeyEndpointConventions.Refusal(request.HttpContext) is { } refusal)
            {
                return refusal;
            }
            if (string.IsNullOrWhiteSpace(agency))
            {
                return Problem.Invalid("agency", "submit=true needs the code of the agency to submit for (agency=…).");
            }
        }
        var body = await RequestBody.ReadAsync(request, MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return Problem.Of(413, "The request body is too large.", $"A published report is at most {MaxBodyBytes / 1024 / 1024} MiB.");
        }

        ImportedReport imported;
        try
        {
            var target = submit ? new SubmitTarget(agency!, year) : null;
            imported = await mediator.Send(new ImportReport(body, contentType!.MediaType!, contentType.CharSet, target), cancellationToken);
        }
        catch (ImportRefusedException refused)
        {
            return TypedResults.Problem(statusCode: 422, title: "The report could not be imported as it is.", detail: refused.Message,
                extensions: new Dictionary<string, object?> { ["diagnostics"] = refused.Diagnostics });
        }
        if (imported.Response.Revision is not { } revision)
        {
            return TypedResults.Ok(imported.Response);
        }
        request.HttpContext.Response.Headers.ETag = revision.ETag;
        return imported.Created
            ? TypedResults.Created($"/api/v1/agencies/{Uri.EscapeDataString(revision.Agency)}/reports/{revision.Year}", imported.Response)
            : TypedResults.Ok(imported.Response);
    }
}
