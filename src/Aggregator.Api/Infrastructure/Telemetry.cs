using System.Diagnostics;
using System.Diagnostics.Metrics;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Aggregator.Api.Infrastructure;

/// <summary>
/// OpenTelemetry for the service: traces of ASP.NET Core, HttpClient, Npgsql and of every command and query (one span
/// each, from <see cref="MessageTelemetryBehavior{TMessage,TResponse}"/>); metrics of the same plus the .NET runtime,
/// scraped by Prometheus at <c>/metrics</c>; OTLP export of both when an endpoint is configured
/// (<c>Aggregator:Telemetry:OtlpEndpoint</c>, or OpenTelemetry's own <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>).
/// </summary>
public static class Telemetry
{
    public const string Name = "Aggregator";

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);

    /// <summary>Commands and queries handled, by message and outcome, with their duration.</summary>
    public static readonly Histogram<double> MessageDuration = Meter.CreateHistogram<double>(
        "aggregator.messages.duration", unit: "s", description: "Time to handle a command or query, by message and outcome.");

    public static IServiceCollection AddAggregatorTelemetry(this IServiceCollection services, TelemetryOptions options)
    {
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName: options.ServiceName,
                serviceVersion: typeof(Telemetry).Assembly.GetName().Version?.ToString()))
            .WithTracing(tracing => tracing
                .AddSource(Name)
                .AddAspNetCoreInstrumentation(aspnet => aspnet.Filter = http => !IsOperatorPath(http.Request.Path))
                .AddHttpClientInstrumentation()
                .AddNpgsql())
            .WithMetrics(metrics =>
            {
                metrics
                    .AddMeter(Name)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddNpgsqlInstrumentation();
                if (options.Prometheus)
                {
                    metrics.AddPrometheusExporter();
                }
            });
        if (options.OtlpEndpoint is { Length: > 0 } endpoint)
        {
            telemetry.UseOtlpExporter(options.OtlpProtocol, new Uri(endpoint));
        }
        else if (Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT") is { Length: > 0 })
        {
            telemetry.UseOtlpExporter();
        }
        return services;
    }

    /// <summary>The Prometheus scrape endpoint, when on; outside the API's contract and its rate-limit budget is the caller's.</summary>
    public static void MapAggregatorTelemetry(this WebApplication app, TelemetryOptions options)
    {
        if (options.Prometheus)
        {
            app.MapPrometheusScrapingEndpoint(options.PrometheusPath);
        }
    }

    /// <summary>Health probes and scrapes, every few seconds from machines: no trace of their own.</summary>
    private static bool IsOperatorPath(PathString path) => path.StartsWithSegments("/health") || path.StartsWithSegments("/metrics");
}

public sealed class TelemetryOptions
{
    /// <summary>service.name of every span and metric.</summary>
    public string ServiceName { get; set; } = "aggregator";

    /// <summary>Serve metrics for Prometheus to scrape at <see cref="PrometheusPath"/>.</summary>
    public bool Prometheus { get; set; } = true;

    public string PrometheusPath { get; set; } = "/metrics";

    /// <summary>Where to send traces and metrics by OTLP (e.g. http://collector:4318); empty: OTEL_EXPORTER_OTLP_ENDPOINT, else nowhere.</summary>
    public string? OtlpEndpoint { get; set; }

    public OtlpExportProtocol OtlpProtocol { get; set; } = OtlpExportProtocol.HttpProtobuf;
}
