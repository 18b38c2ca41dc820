using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Aggregator.Api.Infrastructure;

/// <summary>Origins of the dashboards allowed to call the API from a browser. None by default: no CORS headers at all.</summary>
public sealed class CorsSettings
{
    /// <summary>Exact origins (<c>https://dashboard.example.gov.cn</c>), or <c>*</c> for any (keys travel in a header, never as cookies).</summary>
    public string[] Origins { get; set; } = [];

    /// <summary>How long a browser may keep a preflight's answer.</summary>
    public TimeSpan PreflightMaxAge { get; set; } = TimeSpan.FromMinutes(10);
}

/// <summary>
/// The reverse proxies in front of the service. Only a request that comes from one of them has its X-Forwarded-For
/// (the client address: rate limits, audit) and X-Forwarded-Proto (links) taken; with none configured both headers are
/// ignored, so a client cannot pick its own address.
/// </summary>
public sealed class ProxySettings
{
    /// <summary>Proxy addresses, e.g. <c>10.0.0.5</c>.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Proxy networks in CIDR notation, e.g. <c>10.0.0.0/8</c>.</summary>
    public string[] KnownNetworks { get; set; } = [];

    /// <summary>How many proxies in a row to unwind (X-Forwarded-For entries taken from the right).</summary>
    public int ForwardLimit { get; set; } = 1;

    public bool Any => KnownProxies.Length > 0 || KnownNetworks.Length > 0;
}

public static class BrowsersAndProxies
{
    /// <summary>Headers a browser script may read from an answer: caching, paging, back-off, where a new thing is.</summary>
    public static readonly string[] ExposedHeaders = ["ETag", "Link", "Retry-After", "Location", "Content-Disposition"];

    /// <summary>Headers a browser script may send: its key, its body's type, conditional requests.</summary>
    public static readonly string[] AllowedHeaders = ["X-Api-Key", "Content-Type", "Accept", "If-None-Match", "If-Match"];

    public static IServiceCollection AddBrowsersAndProxies(this IServiceCollection services, CorsSettings cors, ProxySettings proxies)
    {
        if (cors.Origins.Length > 0)
        {
            services.AddCors(options => options.AddDefaultPolicy(policy =>
            {
                if (cors.Origins.Contains("*"))
                {
                    policy.AllowAnyOrigin();
                }
                else
                {
                    policy.WithOrigins(cors.Origins.Select(o => o.TrimEnd('/')).ToArray());
                }
                policy.WithMethods("GET", "HEAD", "POST", "PUT", "DELETE")
                    .WithHeaders(AllowedHeaders)
                    .WithExposedHeaders(ExposedHeaders)
                    .SetPreflightMaxAge(cors.PreflightMaxAge);
            }));
        }
        if (proxies.Any)
        {
            services.Configure<ForwardedHeadersOptions>(options =>
            {
                options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
                options.ForwardLimit = Math.Max(1, proxies.ForwardLimit);
                options.KnownProxies.Clear();
                options.KnownIPNetworks.Clear();
                foreach (var proxy in proxies.KnownProxies)
                {
                    options.KnownProxies.Add(IPAddress.TryParse(proxy, out var address) ? address
                        : throw new StartupFailure($"Aggregator:Proxies:KnownProxies: '{proxy}' is not an IP address."));
                }
                foreach (var network in proxies.KnownNetworks)
                {
                    options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var parsed) ? parsed
                        : throw new StartupFailure($"Aggregator:Proxies:KnownNetworks: '{network}' is not a network in CIDR notation (10.0.0.0/8)."));
                }
            });
        }
        return services;
    }

    /// <summary>First in the pipeline: the client address is the proxy's word from here on.</summary>
    public static void UseProxies(this WebApplication app, ProxySettings proxies)
    {
        if (proxies.Any)
        {
            app.UseForwardedHeaders();
        }
    }

    /// <summary>After routing, before authentication: a preflight is answered here, without a key.</summary>
    public static void UseBrowserOrigins(this WebApplication app, CorsSettings cors)
    {
        if (cors.Origins.Length > 0)
        {
            app.UseCors();
        }
    }
}
