namespace Aggregator.Api.Infrastructure;

/// <summary>
/// The service cannot start, for a reason the operator can fix (configuration, the database, the machine): the message is the
/// one line Program prints before exiting with code 1.
/// </summary>
public sealed class StartupFailure(string message, Exception? innerException = null) : Exception(message, innerException)
{
    /// <summary>One line for stderr: a start-up failure's own message, or the first line of any other exception's.</summary>
    public static string Describe(Exception exception) => exception switch
    {
        StartupFailure failure => failure.Message,
        _ => OneLine(exception.Message),
    };

    /// <summary>Tool output or an exception message folded onto one line.</summary>
    public static string OneLine(string text) =>
        string.Join(" ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
