namespace Aggregator.Api.Infrastructure;

/// <summary>
/// Refuses query strings with control characters (a NUL byte reaches no filter: PostgreSQL refuses it in text) with a
/// 400 naming the parameter, before any endpoint sees them.
/// </summary>
public static class QueryGuard
{
    public static IApplicationBuilder UseQueryGuard(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            var bad = http.Request.Query.FirstOrDefault(q => q.Value.Any(v => v is not null && v.Any(char.IsControl)));
            if (bad.Key is null)
            {
                await next(http);
                return;
            }
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails = new Microsoft.AspNetCore.Http.HttpValidationProblemDetails(new Dictionary<string, string[]>
                {
                    [bad.Key] = ["Must not contain control characters."],
                })
                {
                    Status = 400,
                    Title = "The request is invalid.",
                },
            });
        });
}
