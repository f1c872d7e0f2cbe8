using System.Net;
using IncidentBot.Clerk.Api;
using IncidentBot.Sandbox.Tests.Support;

namespace IncidentBot.Sandbox.Tests.Api;

/// <summary>The old test emulator's surface on the sandbox: exact users, scripted failures and hangs, overridden answers.</summary>
public sealed class ScriptedTests : IAsyncLifetime
{
    private SandboxFixture _f = null!;

    public async Task InitializeAsync() => _f = await SandboxFixture.StartAsync(new SandboxOptions { Users = 0 });

    public async Task DisposeAsync() => await _f.DisposeAsync();

    [Fact]
    public async Task AnAddedUserIsServedWithItsPrimaryEmailAndSessions()
    {
        _f.Sandbox.AddUser("user_a", ["old@example.com", "jane@example.com"], primary: 1, sessions: 3);

        var users = await _f.Client.ListUsersAsync(new UserQuery(EmailAddresses: ["JANE@example.com"]), CancellationToken.None);
        var sessions = await _f.Client.ListSessionsAsync("user_a", "active", 10, 0, CancellationToken.None);

        Assert.Equal("jane@example.com", Assert.Single(users).PrimaryEmail);
        Assert.Equal(3, sessions.TotalCount);
        Assert.Empty(_f.Sandbox.Violations);
    }

    [Fact]
    public async Task AScriptedFailureAnswersItsCountThenTheSandboxAnswersAgain()
    {
        _f.Sandbox.AddUser("user_a", ["a@example.com"]);
        _f.Sandbox.Fail("GET", "^/v1/users/user_a$", 503, "service_unavailable", times: 2, retryAfter: 3);

        var first = await Assert.ThrowsAsync<ClerkApiException>(() => _f.Client.GetUserAsync("user_a", CancellationToken.None));
        await Assert.ThrowsAsync<ClerkApiException>(() => _f.Client.GetUserAsync("user_a", CancellationToken.None));
        var third = await _f.Client.GetUserAsync("user_a", CancellationToken.None);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.Status);
        Assert.Equal("service_unavailable", first.Code);
        Assert.Equal(TimeSpan.FromSeconds(3), first.RetryAfter);
        Assert.Equal("user_a", third.Id);
        Assert.Equal(3, _f.Sandbox.Count("GET", "^/v1/users/user_a$"));
    }

    [Fact]
    public async Task AHungRequestIsHeldUntilTheClientGivesUp()
    {
        _f.Sandbox.Fail("GET", "^/v1/jwks$", 0, "", times: 1, hang: true);
        using var cancel = new CancellationTokenSource();

        var call = _f.Client.GetJwksAsync(cancel.Token);
        while (_f.Sandbox.Hung == 0)
        {
            await Task.Yield();
        }

        Assert.Equal(1, _f.Sandbox.InFlight);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
    }

    [Fact]
    public async Task TheAppsAndStatusPagesAnswersCanBeOverridden()
    {
        _f.Sandbox.HealthStatus = 500;
        _f.Sandbox.StatusRss = "<rss><channel></channel></rss>";

        using var health = await _f.Http.GetAsync("/app/health");
        var rss = await _f.Http.GetStringAsync("/status/feed.rss");

        Assert.Equal(HttpStatusCode.InternalServerError, health.StatusCode);
        Assert.Equal("<rss><channel></channel></rss>", rss);
    }

    [Fact]
    public async Task LatencyIsPerPathAndPerCallAndMovesTheFakeClock()
    {
        _f.Sandbox.Latency = (path, nth) => path == "/v1/jwks" && nth == 2 ? TimeSpan.FromMilliseconds(700) : TimeSpan.Zero;

        var first = await TimedAsync(() => _f.Client.GetJwksAsync(CancellationToken.None));
        var second = await TimedAsync(() => _f.Client.GetJwksAsync(CancellationToken.None));
        var other = await TimedAsync(() => _f.Client.GetInstanceAsync(CancellationToken.None));

        Assert.Equal([TimeSpan.Zero, TimeSpan.FromMilliseconds(700), TimeSpan.Zero], [first, second, other]);
    }

    [Fact]
    public async Task TheRateLimitCanChangeWhileTheSandboxRuns()
    {
        _f.Sandbox.RateLimit = 1;

        await _f.Client.GetInstanceAsync(CancellationToken.None);
        var limited = await Assert.ThrowsAsync<ClerkApiException>(() => _f.Client.GetInstanceAsync(CancellationToken.None));
        _f.Sandbox.RateLimit = null;
        await _f.Client.GetInstanceAsync(CancellationToken.None);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.Equal(1, _f.Sandbox.RateLimited);
    }

    [Fact]
    public async Task EachDashboardLinkHandedOutIsKept()
    {
        var link = await _f.Client.CreateWebhookDashboardUrlAsync(CancellationToken.None);

        Assert.Equal(Assert.Single(_f.Sandbox.DashboardLinks), link.SvixUrl);
        Assert.StartsWith(_f.Sandbox.BaseUrl, link.SvixUrl);
    }

    private async Task<TimeSpan> TimedAsync<T>(Func<Task<T>> call)
    {
        var started = _f.Time.GetTimestamp();
        await call();
        return _f.Time.GetElapsedTime(started);
    }
}
