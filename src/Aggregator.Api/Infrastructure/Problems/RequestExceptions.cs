namespace Aggregator.Api.Infrastructure.Problems;

// The known refusals. A handler or binder throws one; ProblemExceptionHandler turns it into problem+json. Anything
// else is a fault of ours (500), except a database that cannot answer now (DatabaseOutage: 503 with Retry-After).

/// <summary>Invalid input, by field or JSON path (→ 400 validation problem).</summary>
public sealed class InputException(IDictionary<string, string[]> errors, string title = "The request is invalid.") : Exception(title)
{
    public IDictionary<string, string[]> Errors { get; } = errors;

    public InputException(string field, string message) : this(new Dictionary<string, string[]> { [field] = [message] })
    {
    }
}

/// <summary>No valid key (→ 401).</summary>
public sealed class UnauthorizedException(string message) : Exception(message);

/// <summary>A valid key outside its scope (→ 403).</summary>
public sealed class ForbiddenException(string message) : Exception(message);

/// <summary>A request that names something that does not exist (→ 404).</summary>
public sealed class NotFoundException(string message) : Exception(message);

/// <summary>A request that conflicts with what is stored (→ 409).</summary>
public sealed class ConflictException(string message) : Exception(message);

/// <summary>A conditional request whose precondition does not hold (→ 412).</summary>
public sealed class PreconditionFailedException(string message) : Exception(message);

/// <summary>A body over the endpoint's limit (→ 413), with the limit named in <paramref name="extensions"/> when there is more than a size.</summary>
public sealed class PayloadTooLargeException(string message, IReadOnlyDictionary<string, object?>? extensions = null) : Exception(message)
{
    public IReadOnlyDictionary<string, object?> Extensions { get; } = extensions ?? new Dictionary<string, object?>();
}

/// <summary>A body of a media type or charset the endpoint does not read (→ 415).</summary>
public sealed class UnsupportedMediaTypeException(string message) : Exception(message);

/// <summary>
/// A well-formed request whose content cannot be processed as it is (→ 422), with what the client needs to fix it
/// in <paramref name="extensions"/> (e.g. an import's diagnostics).
/// </summary>
public sealed class UnprocessableException(string title, string message, IReadOnlyDictionary<string, object?>? extensions = null) : Exception(message)
{
    public string Title { get; } = title;

    public IReadOnlyDictionary<string, object?> Extensions { get; } = extensions ?? new Dictionary<string, object?>();
}
