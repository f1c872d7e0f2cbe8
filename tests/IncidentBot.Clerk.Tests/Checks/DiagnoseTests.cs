using IncidentBot.Clerk.Tests.Support;
using IncidentBot.Core.Messaging;

namespace IncidentBot.Clerk.Tests.Checks;

/// <summary>
/// clerk.diagnose against a sandbox that moves the fake clock by each answer's latency. The check is run without the
/// harness's driver, so nothing else moves the clock: every measured latency is exactly the sandbox's.
/// </summary>
public sealed class DiagnoseTests : IAsyncLifetime
{
    private Harness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await Harness.StartAsync();
        await _h.RunAsync("alice", "/incident declare security sev2 Slow sign-in"); // its first step is manual: nothing runs by itself
        await _h.IdleAsync();
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private async Task<ChatMessage> DiagnoseAsync()
    {
        await _h.Router.HandleAsync(_h.Context("alice"), "/incident check clerk.diagnose", CancellationToken.None);
        return _h.Chat.Posts.Last(p => p.Header!.Contains("Check clerk.diagnose:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AColdFirstCallOf700MsIsThrownAwayAndTwoMillisecondAnswersAreOk()
    {
        _h.Sandbox.Latency = (_, nth) => TimeSpan.FromMilliseconds(nth == 1 ? 700 : 2);
        var started = _h.Time.GetUtcNow();

        var post = await DiagnoseAsync();

        Assert.Equal("INC-1 · Check clerk.diagnose: ok", post.Header);
        Assert.Contains("Latency is within the seed's thresholds", post.Text);
        Assert.Contains("Backend API read (GET /v1/users?limit=1): p50 2 ms, p95 2 ms over 20 samples: ok (p95 limit 500 ms).", post.Text);
        Assert.Contains("JWKS (GET /v1/jwks): p50 2 ms, p95 2 ms over 20 samples: ok (p95 limit 500 ms).", post.Text);
        Assert.Contains("/health): p50 2 ms, p95 2 ms over 20 samples: ok (p95 limit 100 ms).", post.Text);
        Assert.Contains("20 timed calls each after 1 warm-up call thrown away; p95 is the 19th fastest of 20.", post.Text);
        Assert.Equal(21, _h.Sandbox.Count("GET", "^/v1/users$"));
        Assert.Equal(21, _h.Sandbox.Count("GET", "^/v1/jwks$"));
        Assert.Equal(21, _h.Sandbox.Count("GET", "^/app/health$"));
        Assert.Equal(TimeSpan.FromMilliseconds((3 * 700) + (60 * 2)), _h.Time.GetUtcNow() - started);
        Assert.Empty(_h.Sandbox.Violations);
    }

    [Fact]
    public async Task ASlowApiAndASlowAuthCheckGetTheSeedsHints()
    {
        _h.Sandbox.Latency = (path, _) => TimeSpan.FromMilliseconds(path switch { "/v1/users" => 600, "/app/health" => 150, _ => 3 });

        var post = await DiagnoseAsync();

        Assert.Equal("INC-1 · Check clerk.diagnose: PROBLEM", post.Header);
        Assert.Contains("Backend API read (GET /v1/users?limit=1): p50 600 ms, p95 600 ms over 20 samples: SLOW, p95 over 500 ms: API slow: check Clerk's status or the network (the seed's hint).", post.Text);
        Assert.Contains("JWKS (GET /v1/jwks): p50 3 ms, p95 3 ms over 20 samples: ok", post.Text);
        Assert.Contains("/health): p50 150 ms, p95 150 ms over 20 samples: SLOW, p95 over 100 ms: auth check slow: check the middleware configuration (the seed's hint).", post.Text);
        Assert.StartsWith("Over the seed's thresholds or failing: API slow: check Clerk's status or the network (the seed's hint); auth check slow", post.Text);
    }

    [Fact]
    public async Task OneSlowCallInTwentyDoesNotSetTheP95()
    {
        _h.Sandbox.Latency = (path, nth) => TimeSpan.FromMilliseconds(path == "/v1/jwks" && nth == 7 ? 900 : 2);

        var post = await DiagnoseAsync();

        Assert.Equal("INC-1 · Check clerk.diagnose: ok", post.Header);
        Assert.Contains("JWKS (GET /v1/jwks): p50 2 ms, p95 2 ms over 20 samples: ok", post.Text);
    }

    [Fact]
    public async Task AFailingEndpointStopsItsSamplingAndFailsTheVerdict()
    {
        _h.Sandbox.Fail("GET", "^/v1/jwks$", 401, "clerk_key_invalid");

        var post = await DiagnoseAsync();

        Assert.Equal("INC-1 · Check clerk.diagnose: PROBLEM", post.Header);
        Assert.Contains("JWKS (GET /v1/jwks): call 1 of 20 failed after", post.Text);
        Assert.Contains("Clerk refused the secret key (401 clerk_key_invalid)", post.Text);
        Assert.Contains("JWKS (GET /v1/jwks) failing", post.Text);
        Assert.Equal(2, _h.Sandbox.Count("GET", "^/v1/jwks$"));
    }
}
