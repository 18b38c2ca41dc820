using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Aggregator.Api.Data;
using Aggregator.Api.Features;
using Aggregator.Api.Features.Shared;
using Aggregator.Api.Infrastructure;
using Aggregator.Api.Infrastructure.Access;
using Aggregator.Api.Infrastructure.Audit;
using Aggregator.Api.Infrastructure.Caching;
using Aggregator.Api.Infrastructure.OpenApi;
using Aggregator.Api.Infrastructure.Problems;
using FluentValidation;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.OpenApi;

var builder = WebApplication.CreateBuilder(args);
var settings = builder.Configuration.GetSection(AggregatorOptions.Section).Get<AggregatorOptions>() ?? new AggregatorOptions();
builder.Services.Configure<AggregatorOptions>(builder.Configuration.GetSection(AggregatorOptions.Section));

// No connection string: run a private PostgreSQL from the machine's binaries (see README, "Running it").
var connectionString = builder.Configuration.GetConnectionString("Aggregator");
LocalPostgres? localPostgres = null;
if (string.IsNullOrWhiteSpace(connectionString))
{
    var dataDirectory = settings.LocalPostgresDirectory ?? Path.Combine(Path.GetTempPath(), "aggregator-postgres");
    localPostgres = await LocalPostgres.StartAsync(dataDirectory, "aggregator", durable: true, Console.WriteLine);
    connectionString = localPostgres.ConnectionString;
}

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<CachePolicy>();
builder.Services.AddDbContext<AggregatorDbContext>(options => options
    .UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history"))
    .UseSnakeCaseNamingConvention());
builder.Services.AddMediator((Mediator.MediatorOptions options) =>
{
    options.ServiceLifetime = ServiceLifetime.Scoped;
    options.PipelineBehaviors = [typeof(LoggingBehavior<,>), typeof(ValidationBehavior<,>)];
});
builder.Services.AddValidatorsFromAssemblyContaining<Program>(ServiceLifetime.Scoped);
builder.Services.AddScoped<RevisionStore>();
builder.Services.AddHttpContextAccessor();
builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
    .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
builder.Services.AddAuthorization(Policies.Add);
builder.Services.AddSingleton<IAuthorizationHandler, RoleRequirementHandler>();
builder.Services.AddSingleton<IAuthorizationHandler, KeyToSubmitRequirement>();
builder.Services.AddSingleton<IAuthorizationHandler, AgencyAccessHandler>();
builder.Services.AddSingleton<IAuthorizationHandler, KeyAccessHandler>();
builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
builder.Services.AddScoped<AccessControl>();
builder.Services.AddAggregatorRateLimits(settings.RateLimits);

builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
{
    context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
    context.ProblemDetails.Extensions["traceId"] = context.HttpContext.TraceIdentifier;
});
builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
builder.Services.Configure<JsonOptions>(options =>
{
    var json = options.SerializerOptions;
    json.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
    json.RespectNullableAnnotations = true;
    json.RespectRequiredConstructorParameters = true;
    json.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
    json.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
});

builder.Services.AddHealthChecks().AddNpgSql(connectionString, name: "postgres", tags: ["ready"]);

builder.Services.AddEndpointsApiExplorer();
builder.Services.AddSwaggerGen(options =>
{
    options.SwaggerDoc("v1", new OpenApiInfo
    {
        Title = "Aggregator",
        Version = "v1",
        Description = "Collects the annual reports on government information disclosure (政府信息公开工作年度报告) and rolls their numbers up " +
                      "across agencies, regions and years.",
    });
    options.SupportNonNullableReferenceTypes();
    options.NonNullableReferenceTypesAsRequired();
    options.IncludeXmlComments(Path.Combine(AppContext.BaseDirectory, "Aggregator.Api.xml"));
    options.MapType<Aggregator.Domain.ReportDocument>(ReportDocumentSchemas.Reference);
    options.DocumentFilter<ReportDocumentSchemas>();
    options.OperationFilter<ApiKeyOperationFilter>();
    options.OperationFilter<CsvResponseFilter>();
    options.AddSecurityDefinition(ApiKeyAuthenticationHandler.SchemeName, new OpenApiSecurityScheme
    {
        Type = SecuritySchemeType.ApiKey,
        In = ParameterLocation.Header,
        Name = ApiKeyAuthenticationHandler.Header,
        Description = "An API key: admin (the bootstrap key from Aggregator:AdminApiKey, or issued), region (agencies inside a division) " +
                      "or bureau (one agency). Needed for writes.",
    });
});

var app = builder.Build();

if (localPostgres is not null)
{
    app.Lifetime.ApplicationStopped.Register(() => localPostgres.DisposeAsync().AsTask().GetAwaiter().GetResult());
}
if (settings.MigrateOnStart)
{
    await using var scope = app.Services.CreateAsyncScope();
    await scope.ServiceProvider.GetRequiredService<AggregatorDbContext>().Database.MigrateAsync();
}
if (settings.LoadSampleData ?? app.Environment.IsDevelopment())
{
    await SampleData.LoadAsync(app.Services);
}

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseRouting();
app.UseRateLimiter();
app.UseQueryGuard();
app.UseWhen(context => context.Request.Path.StartsWithSegments("/api/v1"), branch => branch.UseMiddleware<ConditionalGet>());
app.UseAuthentication();
app.UseAudit();
app.UseAuthorization();
app.UseSwagger();
app.UseSwaggerUI(options => options.DocumentTitle = "Aggregator API");

var api = app.MapGroup("/api/v1");
api.AddEndpointFilter<PageLinks>();
if (settings.RequireKeyForReads)
{
    api.RequireAuthorization(Policies.Key);
}
api.MapFeatures();

app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
app.MapGet("/", () => Results.Redirect("/swagger")).ExcludeFromDescription();

app.Run();

/// <summary>The application's entry point; public so tests can host it.</summary>
public partial class Program;
