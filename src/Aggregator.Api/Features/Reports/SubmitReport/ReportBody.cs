using System.Reflection;
using Aggregator.Api.Infrastructure;
using Aggregator.Api.Infrastructure.Problems;
using Aggregator.Domain;

namespace Aggregator.Api.Features.Reports.SubmitReport;

/// <summary>
/// The body of a submission: a report document in JSON, read with the domain's reader so every error names its JSON
/// path (400), refused as a whole when it is not JSON (415) or too large (413). Nothing is stored from a body that fails.
/// </summary>
public sealed record ReportBody(ReportDocument Document) : IBindableFromHttpContext<ReportBody>
{
    /// <summary>The largest document accepted; a real one is about 20 KiB with its narratives.</summary>
    public const int MaxBytes = 1024 * 1024;

    public static async ValueTask<ReportBody?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        var request = context.Request;
        if (!request.HasJsonContentType())
        {
            throw new UnsupportedMediaTypeException($"Send the report document as application/json; got '{request.ContentType ?? "no content type"}'.");
        }
        var body = await RequestBody.ReadAsync(request, MaxBytes, context.RequestAborted)
                   ?? throw new PayloadTooLargeException($"A report document is at most {MaxBytes / 1024} KiB.");
        var parsed = ReportDocumentJson.Parse(body);
        if (!parsed.Succeeded)
        {
            throw new InputException(parsed.Errors.GroupBy(e => e.Path).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
                "The report document is invalid; nothing was stored.");
        }
        return new ReportBody(parsed.Document!);
    }
}
