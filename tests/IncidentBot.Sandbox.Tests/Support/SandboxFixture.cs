using IncidentBot.Clerk;
using IncidentBot.Clerk.Api;
using IncidentBot.Tests.Support;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Sandbox.Tests.Support;

/// <summary>
/// A seeded sandbox on a fake clock with the shared contract checks on every Backend API request and answer
/// (<see cref="ClerkContract"/>), and the bot's real Clerk client pointed at it.
/// </summary>
public sealed class SandboxFixture : IAsyncDisposable
{
    private SandboxFixture(ClerkSandbox sandbox, FakeTimeProvider time)
    {
        Sandbox = sandbox;
        Time = time;
        Http = new HttpClient { BaseAddress = new Uri(sandbox.BaseUrl) };
        Client = new ClerkClient(new HttpClient(), Options.Create(new ClerkOptions { ApiUrl = sandbox.ApiUrl, SecretKey = sandbox.Options.SecretKey }));
    }

    public ClerkSandbox Sandbox { get; }

    public FakeTimeProvider Time { get; }

    /// <summary>Raw HTTP to the sandbox (no auth header unless a test adds one).</summary>
    public HttpClient Http { get; }

    /// <summary>The bot's own typed client.</summary>
    public ClerkClient Client { get; }

    public static async Task<SandboxFixture> StartAsync(SandboxOptions? options = null)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        var sandbox = await ClerkSandbox.StartAsync(options ?? new SandboxOptions { Users = 120 }, time);
        sandbox.Checked();
        // A slow answer on a fake clock: move the clock instead of waiting.
        sandbox.Wait = (span, _) =>
        {
            time.Advance(span);
            return Task.CompletedTask;
        };
        return new SandboxFixture(sandbox, time);
    }

    /// <summary>A raw request with the key and the headers Clerk expects of every client (API version, User-Agent).</summary>
    public HttpRequestMessage Authorized(HttpMethod method, string path, string? json = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Sandbox.Options.SecretKey);
        request.Headers.Add("Clerk-API-Version", OpenApiSpec.Clerk.Version);
        request.Headers.UserAgent.ParseAdd("IncidentBot.Sandbox.Tests/1.0");
        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        return request;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Sandbox.DisposeAsync();
    }
}
