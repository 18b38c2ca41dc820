using System.Text.Json;
using Aggregator.Api.Data;
using Aggregator.Domain;
using Microsoft.EntityFrameworkCore;

namespace Aggregator.Api.Infrastructure;

/// <summary>
/// Four real published reports (乌苏, 沭阳, 淮安, 平潭), loaded into an empty database so a newcomer sees data in
/// Swagger UI at once. The reports are stored the way every submission is (<see cref="RevisionStore"/>: revisions,
/// findings, cells).
/// </summary>
public static class SampleData
{
    private sealed record SampleAgency(string Code, string Name, string DivisionCode, string Sector);

    private sealed record Sample(SampleAgency Agency, int Year, JsonElement Document);

    public static async Task LoadAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AggregatorDbContext>();
        if (await db.Agencies.AnyAsync(cancellationToken))
        {
            return;
        }
        var revisions = scope.ServiceProvider.GetRequiredService<RevisionStore>();
        var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        await using var stream = typeof(SampleData).Assembly.GetManifestResourceStream("Aggregator.Api.SampleData.sample-reports.json")
                                 ?? throw new InvalidOperationException("The sample reports are not embedded.");
        var samples = await JsonSerializer.DeserializeAsync<Sample[]>(stream, JsonSerializerOptions.Web, cancellationToken) ?? [];
        foreach (var sample in samples)
        {
            var agency = await db.Agencies.SingleOrDefaultAsync(a => a.Code == sample.Agency.Code, cancellationToken);
            if (agency is null)
            {
                agency = new Agency
                {
                    Code = sample.Agency.Code, Name = sample.Agency.Name, DivisionCode = sample.Agency.DivisionCode, Sector = sample.Agency.Sector,
                    RegisteredAt = clock.GetUtcNow(),
                };
                await scope.ServiceProvider.GetRequiredService<AgencyRegistry>().RegisterAsync(agency, cancellationToken);
            }
            var document = ReportDocumentJson.Parse(sample.Document).Document
                           ?? throw new InvalidOperationException($"Sample report of {sample.Agency.Code} does not read.");
            await revisions.StoreAsync(agency, sample.Year, document, null, audit: null, cancellationToken);
        }
    }
}
