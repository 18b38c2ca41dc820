using System.Net.Sockets;
using Npgsql;

namespace Aggregator.Api.Infrastructure.Problems;

/// <summary>
/// Recognises the failures that mean "the database cannot answer now" rather than "this request is wrong": no
/// connection (refused, reset, timed out), a server starting up, shutting down or in crash recovery (SQLSTATE 57P01,
/// 57P02, 57P03), a connection exception (08xxx), or anything Npgsql itself calls transient. They answer 503 with
/// Retry-After (see <see cref="ProblemExceptionHandler"/>).
/// </summary>
public static class DatabaseOutage
{
    /// <summary>What Retry-After says: long enough for a restart, short enough that clients see the service back soon.</summary>
    public const int RetryAfterSeconds = 5;

    /// <summary>The exception in <paramref name="exception"/>'s chain that shows the database unavailable, or null.</summary>
    public static Exception? Find(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException postgres:
                    return postgres.IsTransient || postgres.SqlState is "57P01" or "57P02" or "57P03" || postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
                        ? postgres
                        : null; // the server answered, and the answer is about the request
                case NpgsqlException npgsql when npgsql.IsTransient:
                    return npgsql;
                case NpgsqlException { InnerException: IOException or SocketException or TimeoutException } npgsql:
                    return npgsql;
            }
        }
        return null;
    }
}
