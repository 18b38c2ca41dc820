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
                var options = context.HttpContext.RequestServices.GetRequiredService<IOptions<AggregatorOptions>>().Value;
                var presented = context.HttpContext.Request.Headers[Header].ToString();
                if (string.IsNullOrEmpty(presented) || !Matches(presented, options.AdminApiKey))
                {
                    context.HttpContext.Response.Headers.WWWAuthenticate = SchemeName;
                    return TypedResults.Problem(statusCode: 401, title: "Unauthorized.",
                        detail: string.IsNullOrEmpty(presented) ? $"This operation needs an API key in header {Header}." : $"The key in header {Header} is not valid.");
                }
                return await next(context);
            })
            .WithMetadata(new RequiresApiKeyMetadata())
            .ProducesProblem(401);

    private static bool Matches(string presented, string? expected) =>
        !string.IsNullOrEmpty(expected) &&
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}

/// <summary>Marks an endpoint as needing an API key, so the OpenAPI document says so.</summary>
public sealed class RequiresApiKeyMetadata;
