using System.Collections.Concurrent;
using System.Diagnostics;

namespace Aggregator.Api.Tests.Infrastructure;

/// <summary>
/// Starts each request's trace (a W3C <c>traceparent</c> header the API continues) and keeps the trace ids, so a test
/// can pick its own spans: an in-memory exporter sees every span of its sources in the process, those of other test
/// hosts running at the same time included.
/// </summary>
public sealed class TraceTags : DelegatingHandler
{
    private readonly ConcurrentDictionary<ActivityTraceId, byte> traces = new();

    public bool Holds(Activity span) => traces.ContainsKey(span.TraceId);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var trace = ActivityTraceId.CreateRandom();
        traces[trace] = 0;
        request.Headers.Remove("traceparent");
        request.Headers.Add("traceparent", $"00-{trace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        return base.SendAsync(request, cancellationToken);
    }
}
