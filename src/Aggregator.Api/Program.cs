using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Aggregator.Api.Data;
using Aggregator.Api.Data.ReadModel;
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
using Npgsql;

if (args.FirstOrDefault() == HealthProbe.Command)
{
    return await HealthProbe.RunAsync(args[1..], Console.Out);
}

// A failure to start (bad configuration, no database, the HTTP port taken) ends with one line on stderr and exit code 1; the
// private PostgreSQL, if this instance started one, is stopped on every way out, Ctrl-C and SIGTERM included.
LocalPostgres? privateServer = null;
var started = false;
// Ctrl-C and SIGTERM stop the service at any point, also before the host handles them itself (while the private server
// starts, during migrations), rather than ending the process on the spot: the finally below still stops the private server.
using var stopSignalled = new CancellationTokenSource();
void SignalStop(PosixSignalContext signal)
{
    signal.Cancel = true;
    stopSignalled.Cancel();
}
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, SignalStop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, SignalStop);
try
{
    // `rebuild-rollups`: compute the rollup read model anew from the stored cells, then exit (see README, operations).
    var command = args.FirstOrDefault() is "rebuild-rollups" ? args[0] : null;
    var hostArgs = command is null ? args : args[1..];
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = hostArgs, ContentRootPath = ContentRoot.Choose(hostArgs) });
    var settings = builder.Configuration.GetSection(AggregatorOptions.Section).Get<AggregatorOptions>() ?? new AggregatorOptions();
    builder.Services.Configure<AggregatorOptions>(builder.Configuration.GetSection(AggregatorOptions.Section));
    // The host logs a failed start (the HTTP port taken) at Error with a stack trace; the catch below reports it as one
    // line instead. The one BackgroundService (RollupFolder), the other thing the host logs at Error, logs its own faults.
    builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);

    // No connection string: in Development and Testing, a private PostgreSQL from the machine's binaries (see README, "Running it").
    (var connectionString, privateServer) = await ServiceDatabase.ResolveAsync(builder, settings);
    stopSignalled.Token.ThrowIfCancellationRequested();
    connectionString = ServiceDatabase.Tuned(connectionString);
    if (command is not null)
    {
        return await RollupProjection.RebuildCommandAsync(connectionString, Console.Out, stopSignalled.Token);
    }

    builder.Services.AddSingleton(TimeProvider.System);
    builder.Services.AddSingleton<CachePolicy>();
    builder.Services.AddDbContext<AggregatorDbContext>(options => options
        .UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history"))
        .UseSnakeCaseNamingConvention());
    var readConnectionString = builder.Configuration.GetConnectionString(ServiceDatabase.ReadConnectionStringName);
    builder.Services.AddSingleton(new ReadDatabase.Standby(string.IsNullOrWhiteSpace(readConnectionString) ? null
        : new DbContextOptionsBuilder<AggregatorDbContext>()
            .UseNpgsql(ServiceDatabase.Tuned(readConnectionString))
            .UseSnakeCaseNamingConvention()
            .UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking)
            .Options, settings.ReadReplica.MaxWait));
    builder.Services.AddScoped<ReadDatabase>();
    builder.Services.AddMediator((Mediator.MediatorOptions options) =>
    {
        options.ServiceLifetime = ServiceLifetime.Scoped;
        options.PipelineBehaviors = [typeof(MessageTelemetryBehavior<,>), typeof(ValidationBehavior<,>)];
    });
    builder.Services.AddValidatorsFromAssemblyContaining<Program>(ServiceLifetime.Scoped);
    builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
    builder.Services.AddHostedService<RollupFolder>();
    builder.Services.AddSingleton<DataVersions>();
    builder.Services.AddHostedService<RollupChangeListener>();
    builder.Services.AddFeatures();
    builder.Services.AddMemoryCache(options => options.SizeLimit = settings.Rollups.CacheBytes);
    builder.Services.AddScoped<RevisionStore>();
    builder.Services.AddScoped<AgencyRegistry>();
    builder.Services.AddScoped<AuditTrail>();
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
    builder.Services.AddAggregatorTelemetry(settings.Telemetry);
    builder.Services.AddRequestLog();
    builder.Services.AddBrowsersAndProxies(settings.Cors, settings.Proxies);

    builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
    {
        context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
        context.ProblemDetails.Extensions["traceId"] = System.Diagnostics.Activity.Current?.TraceId.ToHexString() ?? context.HttpContext.TraceIdentifier;
    });
    builder.Services.AddSingleton<IProblemDetailsWriter, ProblemJsonFallbackWriter>(); // after the framework's: for an Accept that excludes JSON
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

    var health = builder.Services.AddHealthChecks().AddNpgSql(connectionString, name: "postgres", tags: ["ready"]);
    if (!string.IsNullOrWhiteSpace(readConnectionString))
    {
        health.AddNpgSql(readConnectionString, name: "postgres-reads", tags: ["ready"]);
    }

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
        options.OperationFilter<CsvExportFilter>();
        options.OperationFilter<QueryParameterFilter>();
        options.OperationFilter<ImportBodyFilter>();
        options.DocumentFilter<DocumentInfoFilter>();
        options.OperationFilter<ServiceResponsesFilter>();
        options.OperationFilter<RequiredQueryFilter>();
        options.AddSecurityDefinition(ApiKeyAuthenticationHandler.SchemeName, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeyAuthenticationHandler.Header,
            Description = "An API key: admin (the bootstrap key from Aggregator:AdminApiKey, or issued), region (agencies inside a division) " +
                          "or bureau (one agency). Needed for writes.",
        });
    });

    await using var app = builder.Build();
    app.Lifetime.ApplicationStarted.Register(() => started = true);

    if (settings.MigrateOnStart)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AggregatorDbContext>().MigrateAsync(stopSignalled.Token);
    }
    if (settings.LoadSampleData ?? app.Environment.IsDevelopment())
    {
        await SampleData.LoadAsync(app.Services, stopSignalled.Token);
    }

    app.UseProxies(settings.Proxies);
    app.UseHttpLogging();
    app.UseExceptionHandler();
    app.UseStatusCodePages();
    app.UseDashboardFiles(); // before routing: the dashboard's static files (see Infrastructure/Dashboard)
    app.UseRouting();
    app.UseRequestLogRoute();
    app.UseBrowserOrigins(settings.Cors);
    app.UseQueryGuard();
    app.UseWhen(context => context.Request.Path.StartsWithSegments("/api/v1"), branch => branch.UseMiddleware<ConditionalGet>());
    app.UseAuthentication();
    app.UseRateLimiter(); // after authentication: only a verified key has a window of its own
    app.UseAudit();
    app.UseSingleValuedQuery(); // after the audit: a refused write is on record
    app.UseAuthorization();
    app.UseJsonCharset(); // after authorization: a write without a key is 401 whatever its body
    app.UseSwagger();
    app.UseSwaggerUI(options => options.DocumentTitle = "Aggregator API");

    var api = app.MapGroup("/api/v1");
    api.AddEndpointFilter<PageLinks>();
    if (settings.RequireKeyForReads)
    {
        api.RequireAuthorization(Policies.Key);
    }
    api.MapFeatures();

    // Probes come every few seconds from one balancer or supervisor address: a throttled readiness probe would take
    // the instance out of service, so they are never rate limited (live costs nothing, ready one pooled query).
    // GET and HEAD only (any other method is 405 with Allow): a probe reads, and a POST answered "Healthy" misleads.
    app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false })
        .WithMetadata(new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head])).DisableRateLimiting();
    app.MapHealthChecks("/health/ready", Readiness.Options(check => check.Tags.Contains("ready")))
        .WithMetadata(new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head])).DisableRateLimiting();
    app.MapAggregatorTelemetry(settings.Telemetry);
    app.MapDashboard();
    app.MapGet("/", () => Results.Redirect("/swagger")).ExcludeFromDescription();

    await ((IHost)app).RunAsync(stopSignalled.Token);
    return 0;
}
catch (OperationCanceledException) when (stopSignalled.IsCancellationRequested && !started)
{
    await Console.Error.WriteLineAsync("Aggregator stopped by a signal before it had started.");
    return 1;
}
catch (Exception e) when (e is not HostAbortedException) // HostAbortedException: WebApplicationFactory taking the built host
{
    await Console.Error.WriteLineAsync($"Aggregator {(started ? "stopped" : "could not start")}: {StartupFailure.Describe(e)}");
    return 1;
}
finally
{
    if (privateServer is not null)
    {
        await privateServer.DisposeAsync();
    }
}

/// <summary>The application's entry point; public so tests can host it.</summary>
public partial class Program;
