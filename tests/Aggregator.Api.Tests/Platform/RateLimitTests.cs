using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Aggregator.Api.Tests.Access;
using Aggregator.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Aggregator.Api.Tests.Platform;

/// <summary>
/// Rate limits count a key's requests in a window of its own only once the key is verified: made-up keys of the right
/// form, and revoked ones, share the client address's window. Imports have a lower window and a concurrency limit.
/// Every refusal is 429 problem+json with Retry-After.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class RateLimitTests(ApiFactory api)
{
    private WebApplicationFactory<Program> Limited(params (string Setting, int Value)[] limits) =>
        api.WithWebHostBuilder(builder =>
        {
            foreach (var (setting, value) in limits)
            {
                builder.UseSetting($"Aggregator:RateLimits:{setting}", value.ToString());
            }
        });

    private static HttpClient With(WebApplicationFactory<Program> host, string? key)
    {
        var client = host.CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }
        return client;
    }

    private static string MadeUpKey() => $"agg_{Guid.NewGuid():N}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32))}";

    private static async Task TooMany(HttpResponseMessage response)
    {
        await response.Problem(HttpStatusCode.TooManyRequests);
        Assert.True(response.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 }, "429 without Retry-After");
    }

    [Fact]
    public async Task Five_hundred_made_up_keys_of_the_right_form_all_count_against_the_client_address()
    {
        await using var limited = Limited(("AnonymousPerMinute", 5));

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 500; i++)
        {
            last = await With(limited, MadeUpKey()).GetAsync("/api/v1/metrics");
            statuses.Add(last.StatusCode);
        }

        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(495, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        await TooMany(last!);
    }

    [Fact]
    public async Task A_verified_key_has_a_window_of_its_own_and_a_revoked_key_counts_against_the_client_address()
    {
        var (id, key) = await api.Issue("admin");
        var (revokedId, revoked) = await api.Issue("admin");
        Assert.Equal(HttpStatusCode.NoContent, (await api.Admin().DeleteAsync($"/api/v1/api-keys/{revokedId}")).StatusCode);
        await using var limited = Limited(("AnonymousPerMinute", 2), ("PerKeyPerMinute", 3));

        Assert.Equal(HttpStatusCode.OK, (await With(limited, null).GetAsync("/api/v1/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await With(limited, "not-a-key").GetAsync("/api/v1/metrics")).StatusCode);
        await TooMany(await With(limited, null).GetAsync("/api/v1/metrics"));
        await TooMany(await With(limited, revoked).GetAsync("/api/v1/metrics"));

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await With(limited, key).GetAsync("/api/v1/metrics")).StatusCode);
        }
        await TooMany(await With(limited, key).GetAsync("/api/v1/metrics"));
        Assert.NotEqual(id, revokedId);
    }

    [Fact]
    public async Task Imports_have_a_lower_window_of_their_own_beside_the_general_one()
    {
        await using var limited = Limited(("ImportsPerMinute", 2));
        var client = With(limited, null);

        Assert.Equal((HttpStatusCode)422, (await client.PostAsync("/api/v1/imports", Text("会议指出……"))).StatusCode);
        Assert.Equal((HttpStatusCode)422, (await client.PostAsync("/api/v1/imports", Text("会议指出……"))).StatusCode);
        await TooMany(await client.PostAsync("/api/v1/imports", Text("会议指出……")));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/metrics")).StatusCode);
    }

    [Fact]
    public async Task An_import_beyond_the_concurrency_limit_is_429_and_one_after_it_ended_runs()
    {
        await using var limited = Limited(("ImportConcurrency", 1), ("ImportQueue", 0), ("ImportsPerMinute", 1000));
        var release = new TaskCompletionSource();
        limited.UseKestrel(0); // a real server: the test server takes a body whole before the request runs
        limited.StartServer();
        // A plain client: the factory's own follows redirects and so buffers a body before sending it.
        var address = new Uri(limited.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        using var plain = new HttpClient { BaseAddress = address };
        Task<HttpResponseMessage>? held = null;
        HttpResponseMessage? second = null;
        var abandoned = new List<CancellationTokenSource>();
        for (var attempt = 0; attempt < 20 && second?.StatusCode != HttpStatusCode.TooManyRequests; attempt++)
        {
            // The held import starts first, but on a loaded machine it can still reach the server after the one sent
            // beside it and be the one refused (which the client only sees once its body is sent): then hold another.
            var abandon = new CancellationTokenSource();
            abandoned.Add(abandon);
            var body = new HeldBody("会议"u8.ToArray(), "指出……"u8.ToArray(), release.Task);
            held = plain.PostAsync("/api/v1/imports", body, abandon.Token);
            await body.HeadSent.WaitAsync(TimeSpan.FromSeconds(30));
            await Task.Delay(Math.Min(200 * (attempt + 1), 2000));
            second = await plain.PostAsync("/api/v1/imports", Text("会议指出……"));
            if (second.StatusCode != HttpStatusCode.TooManyRequests)
            {
                await abandon.CancelAsync();
            }
        }
        release.SetResult();

        await TooMany(second!);
        Assert.Contains("imports are running", (await second!.Problem(HttpStatusCode.TooManyRequests))["detail"]!.GetValue<string>());
        Assert.Equal((HttpStatusCode)422, (await held!).StatusCode);
        abandoned.ForEach(source => source.Dispose());
        Assert.Equal((HttpStatusCode)422, (await plain.PostAsync("/api/v1/imports", Text("会议指出……"))).StatusCode);
    }

    private static ByteArrayContent Text(string text)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
        return content;
    }

    /// <summary>A body sent in two parts, the second when <paramref name="release"/> completes: an import that runs for as long as the test wants.</summary>
    private sealed class HeldBody : HttpContent
    {
        private readonly byte[] head;
        private readonly byte[] tail;
        private readonly Task release;
        private readonly TaskCompletionSource headSent = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes once the first part is on its way to the server.</summary>
        public Task HeadSent => headSent.Task;

        public HeldBody(byte[] head, byte[] tail, Task release)
        {
            this.head = head;
            this.tail = tail;
            this.release = release;
            Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(head);
            await stream.FlushAsync();
            headSent.TrySetResult();
            await release;
            await stream.WriteAsync(tail);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
