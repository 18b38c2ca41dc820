using System.Diagnostics;
using Mediator;

namespace Aggregator.Api.Infrastructure;

/// <summary>
/// The outermost behaviour: each command and query is one span (named after the message, a child of the request's),
/// one measurement of <see cref="Telemetry.MessageDuration"/> and, at Debug, one log line with its duration. The
/// outcome is <c>ok</c>, or the exception's type (a refused request is one of the known problem exceptions).
/// </summary>
public sealed class MessageTelemetryBehavior<TMessage, TResponse>(ILogger<MessageTelemetryBehavior<TMessage, TResponse>> logger) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    private static readonly string Name = typeof(TMessage).Name;
    private static readonly string Kind = typeof(TMessage).GetInterfaces().Any(i => i.Name.StartsWith("ICommand", StringComparison.Ordinal)) ? "command" : "query";

    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        using var activity = Telemetry.Source.StartActivity(Name);
        activity?.SetTag("aggregator.message.kind", Kind);
        var started = Stopwatch.GetTimestamp();
        var outcome = "ok";
        try
        {
            return await next(message, cancellationToken);
        }
        catch (Exception e)
        {
            outcome = e.GetType().Name;
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            activity?.SetTag("error.type", outcome);
            throw;
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            Telemetry.MessageDuration.Record(elapsed.TotalSeconds,
                new KeyValuePair<string, object?>("message", Name), new KeyValuePair<string, object?>("outcome", outcome));
            logger.LogDebug("{Message} handled in {Elapsed:F1} ms ({Outcome})", Name, elapsed.TotalMilliseconds, outcome);
        }
    }
}
