namespace Aggregator.Api.Infrastructure;

/// <summary>
/// The service cannot start, for a reason the operator can fix (configuration, the database, the machine): the message is the
/// one line Program prints before exiting with code 1.
/// </summary>
public sealed class StartupFailure(string message, Exception? innerException = null) : Exception(message, innerException)
{
    /// <summary>
    /// One line for stderr: a start-up failure's own message; for any other exception its message followed by what its inner
    /// exceptions add ("a transient failure (Failed to connect to 127.0.0.1:5432: Connection refused)").
    /// </summary>
    public static string Describe(Exception exception)
    {
        if (exception is StartupFailure)
        {
            return exception.Message;
        }
        var causes = new List<string>();
        for (var cause = exception.InnerException; cause is not null; cause = cause.InnerException)
        {
            if (!exception.Message.Contains(cause.Message, StringComparison.OrdinalIgnoreCase) && !causes.Any(c => c.Contains(cause.Message, StringComparison.OrdinalIgnoreCase)))
            {
                causes.Add(cause.Message);
            }
        }
        return OneLine(causes.Count == 0 ? exception.Message : $"{exception.Message} ({string.Join(": ", causes)})");
    }

    /// <summary>Tool output or an exception message folded onto one line.</summary>
    public static string OneLine(string text) =>
        string.Join(" ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
