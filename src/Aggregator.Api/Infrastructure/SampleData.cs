using System.Text.Json;
using Aggregator.Api.Data;
using Aggregator.Api.Features.Agencies.RegisterAgency;
using Aggregator.Api.Features.Reports.SubmitReport;
using Aggregator.Api.Infrastructure.Access;
using Aggregator.Domain;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Aggregator.Api.Infrastructure;

/// <summary>
/// Four real published reports (乌苏, 沭阳, 淮安, 平潭), loaded into an empty database so a newcomer sees data in
/// Swagger UI at once. They go through the same commands as any submission.
/// </summary>
public static class SampleData
{
    private sealed record Sample(RegisterAgency Agency, int Year, JsonElement Document);

    public static async Task LoadAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AggregatorDbContext>();
        if (await db.Agencies.AnyAsync(cancellationToken))
        {
            return;
        }
        scope.ServiceProvider.GetRequiredService<CurrentCaller>().Caller = Caller.System;
        var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
        await using var stream = typeof(SampleData).Assembly.GetManifestResourceStream("Aggregator.Api.SampleData.sample-reports.json")
                                 ?? throw new InvalidOperationException("The sample reports are not embedded.");
        var samples = await JsonSerializer.DeserializeAsync<Sample[]>(stream, JsonSerializerOptions.Web, cancellationToken) ?? [];
        foreach (var sample in samples)
        {
            await mediator.Send(sample.Agency, cancellationToken);
            var document = ReportDocumentJson.Parse(sample.Document).Document
                           ?? throw new InvalidOperationException($"Sample report of {sample.Agency.Code} does not read.");
            await mediator.Send(new SubmitReport(sample.Agency.Code, sample.Year, document, null), cancellationToken);
        }
    }
}
