using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Aggregator.Api.Infrastructure;

/// <summary>Writes need the admin key in header <c>X-Api-Key</c>; scoped keys per bureau and region come later.</summary>
public static class ApiKeyAuthorization
{
    public const string Header = "X-Api-Key";
    public const string SchemeName = "ApiKey";

    public static TBuilder RequireAdminKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder
            .AddEndpointFilter(async (context, next) =>
            {
                var refusal = Refusal(context.HttpContext);
                return refusal is null ? await next(context) : refusal;
            })
            .WithMetadata(new RequiresApiKeyMetadata())
            .ProducesProblem(401);

    /// <summary>Null when the request carries the admin key; otherwise the 401 to answer.</summary>
    public static ProblemHttpResult? Refusal(HttpContext http)
    {
        var options = http.RequestServices.GetRequiredService<IOptions<AggregatorOptions>>().Value;
        var presented = http.Request.Headers[Header].ToString();
        if (!string.IsNullOrEmpty(presented) && Matches(presented, options.AdminApiKey))
        {
            return null;
        }
        http.Response.Headers.WWWAuthenticate = SchemeName;
        return TypedResults.Problem(statusCode: 401, title: "Unauthorized.",
            detail: string.IsNullOrEmpty(presented) ? $"This operation needs an API key in header {Header}." : $"The key in header {Header} is not valid.");
    }

    private static bool Matches(string presented, string? expected) =>
        !string.IsNullOrEmpty(expected) &&
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}

/// <summary>Marks an endpoint as needing an API key, so the OpenAPI document says so.</summary>
public sealed class RequiresApiKeyMetadata;
