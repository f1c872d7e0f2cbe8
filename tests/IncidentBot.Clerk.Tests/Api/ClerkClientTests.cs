using System.Net;
using IncidentBot.Clerk.Api;
using IncidentBot.Clerk.Http;
using IncidentBot.Clerk.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using IncidentBot.Tests.Support;

namespace IncidentBot.Clerk.Tests.Api;

public sealed class ClerkClientTests : IAsyncLifetime
{
    private Harness _h = null!;

    private IClerkClient Clerk => _h.Services.GetRequiredService<IClerkClient>();

    public async Task InitializeAsync() => _h = await Harness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task EveryEndpointTheBotUsesIsCalledAsTheSpecSays()
    {
        _h.Sandbox.AddUser("user_a", ["old@example.org", "primary@example.org"], primary: 1, sessions: 3);
        _h.Sandbox.AddUser("user_b", ["b@example.org"]);
        var ct = CancellationToken.None;

        var byEmail = await _h.DriveAsync(Clerk.ListUsersAsync(new UserQuery(EmailAddresses: ["primary@example.org", "b@example.org"], Limit: 500), ct));
        var byId = await _h.DriveAsync(Clerk.ListUsersAsync(new UserQuery(UserIds: ["user_a"], Limit: 1), ct));
        var cursor = await _h.DriveAsync(Clerk.ListUsersAsync(new UserQuery(Limit: 1, StartingAfter: "user_b"), ct));
        var created = _h.Sandbox.Users.Single(u => u.Id == "user_a").CreatedAt;
        var oldestInRange = await _h.DriveAsync(Clerk.ListUsersAsync(new UserQuery(Limit: 1, OldestFirst: true, CreatedAfter: created - 1, CreatedBefore: created + 10), ct));
        var countInRange = await _h.DriveAsync(Clerk.CountUsersAsync(new UserQuery(CreatedAfter: created - 1, CreatedBefore: created + 1), ct));
        var count = await _h.DriveAsync(Clerk.CountUsersAsync(new UserQuery(Banned: false), ct));
        var user = await _h.DriveAsync(Clerk.GetUserAsync("user_a", ct));
        var page = await _h.DriveAsync(Clerk.ListSessionsAsync("user_a", "active", 2, 0, ct));
        await _h.DriveAsync(Clerk.RevokeSessionAsync(page.Data[0].Id, ct));
        await _h.DriveAsync(Clerk.LockUserAsync("user_a", ct));
        await _h.DriveAsync(Clerk.UnlockUserAsync("user_a", ct));
        await _h.DriveAsync(Clerk.BanUserAsync("user_b", ct));
        await _h.DriveAsync(Clerk.UnbanUserAsync("user_b", ct));
        var banned = await _h.DriveAsync(Clerk.BanUsersAsync(["user_a", "user_b"], ct));
        await _h.DriveAsync(Clerk.UnbanUsersAsync(["user_a", "user_b"], ct));
        await _h.DriveAsync(Clerk.SetPasswordCompromisedAsync("user_b", true, ct));
        var instance = await _h.DriveAsync(Clerk.GetInstanceAsync(ct));
        var jwks = await _h.DriveAsync(Clerk.GetJwksAsync(ct));
        var dashboard = await _h.DriveAsync(Clerk.CreateWebhookDashboardUrlAsync(ct));

        Assert.Empty(_h.Sandbox.Violations);
        Assert.Equal(2, byEmail.Count);
        Assert.Equal("user_a", Assert.Single(byId).Id);
        Assert.Equal("user_a", Assert.Single(cursor).Id);
        Assert.Equal("user_a", Assert.Single(oldestInRange).Id);
        Assert.Equal(1, countInRange);
        Assert.Contains(_h.Sandbox.Requests, r => r.Path == "/v1/users" && r.QueryString.Contains($"created_at_after={created - 1}&created_at_before={created + 10}&limit=1&order_by=%2Bcreated_at", StringComparison.Ordinal));
        Assert.Equal(2, count);
        Assert.Equal("primary@example.org", user.PrimaryEmail);
        Assert.Equal(3, page.TotalCount);
        Assert.Equal(2, page.Data.Count);
        Assert.All(banned, u => Assert.True(u.Banned));
        Assert.Equal("development", instance.EnvironmentType);
        Assert.NotEmpty(jwks.Keys);
        Assert.Equal(Assert.Single(_h.Sandbox.DashboardLinks), dashboard.SvixUrl);
        Assert.DoesNotContain(dashboard.SvixUrl, dashboard.ToString());
        Assert.Empty(_h.Sandbox.Violations);
    }

    [Fact]
    public async Task AnErrorKeepsItsCodeAndTraceId()
    {
        var e = await Assert.ThrowsAsync<ClerkApiException>(() => _h.DriveAsync(Clerk.GetUserAsync("user_nobody", CancellationToken.None)));

        Assert.Equal(HttpStatusCode.NotFound, e.Status);
        Assert.Equal("resource_not_found", e.Code);
        Assert.StartsWith("trace_", e.TraceId);
        Assert.Contains("No user was found with id user_nobody", ClerkErrors.Explain(e));
    }

    [Fact]
    public async Task A429WaitsRetryAfterAndThenSucceeds()
    {
        _h.Sandbox.AddUser("user_a", ["a@example.org"]);
        _h.Sandbox.Fail("GET", "^/v1/users/user_a$", 429, "too_many_requests", times: 2, retryAfter: 3);
        var started = _h.Time.GetUtcNow();

        var user = await _h.DriveAsync(Clerk.GetUserAsync("user_a", CancellationToken.None));

        Assert.Equal("user_a", user.Id);
        Assert.True(_h.Time.GetUtcNow() - started >= TimeSpan.FromSeconds(6), "two Retry-After waits of 3 s");
        Assert.Equal(3, _h.Sandbox.Count("GET", "^/v1/users/user_a$"));
    }

    [Fact]
    public async Task ServerErrorsAreRetriedWithBackoffWithinTheBudget()
    {
        _h.Sandbox.AddUser("user_a", ["a@example.org"]);
        _h.Sandbox.Fail("GET", "^/v1/users/user_a$", 503, "service_unavailable", times: 3);

        var user = await _h.DriveAsync(Clerk.GetUserAsync("user_a", CancellationToken.None));

        Assert.Equal("user_a", user.Id);
        Assert.Equal(4, _h.Sandbox.Count("GET", "^/v1/users/user_a$"));
    }

    [Fact]
    public async Task PersistentServerErrorsGiveUpAfterTheTotalBudget()
    {
        _h.Sandbox.Fail("GET", "^/v1/users/user_a$", 500, "internal_clerk_error");
        var started = _h.Time.GetUtcNow();

        var e = await Assert.ThrowsAsync<ClerkApiException>(() => _h.DriveAsync(Clerk.GetUserAsync("user_a", CancellationToken.None)));

        Assert.Equal(HttpStatusCode.InternalServerError, e.Status);
        // The budget is 120 s; the driver may step the fake clock once or twice more while a retry's continuation
        // waits for a thread (seen once on a loaded machine), as in the unreachable-API test below.
        Assert.True(_h.Time.GetUtcNow() - started <= TimeSpan.FromSeconds(121));
        Assert.True(_h.Sandbox.Count("GET", "^/v1/users/user_a$") > 3);
        Assert.Contains("kept failing while we retried", ClerkErrors.Explain(e));
    }

    [Fact]
    public async Task AnUnansweredRequestTimesOutAndIsRetriedUntilTheBudgetRunsOut()
    {
        _h.Sandbox.Fail("GET", "^/v1/instance$", 0, "", hang: true);

        var e = await Assert.ThrowsAsync<ClerkUnavailableException>(() => _h.DriveAsync(Clerk.GetInstanceAsync(CancellationToken.None)));

        Assert.Contains("no answer within 10 s", e.Message);
        Assert.True(e.Attempts > 1);
    }

    [Fact]
    public async Task ABodyThatStopsArrivingAfterItsHeadersIsNamedPlainlyInsteadOfHanging()
    {
        // A server that sends a 200, its headers and the first two bytes of the body, then nothing.
        using var server = new OneAnswerServer("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n[{"u8.ToArray());
        // The client alone (the harness's request counter would itself wait for the body), on a fake clock moved on
        // while the call is stuck; nothing else here reads that clock.
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Harness.Start);
        var clerk = server.Client(time);

        var call = clerk.ListUsersAsync(new UserQuery(Limit: 500), CancellationToken.None);
        for (var i = 0; i < 3_000 && !call.IsCompleted; i++)
        {
            await Task.WhenAny(call, Task.Delay(10));
            time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.True(call.IsCompleted, "the call still waits for a body that never comes");
        var e = await Assert.ThrowsAsync<ClerkUnavailableException>(() => call);

        Assert.StartsWith("Clerk's answer to users?limit=500 stopped arriving: its body was not complete 10 s after its headers.", e.Message, StringComparison.Ordinal);
        await server.StopAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => server.Serving);
    }

    [Fact]
    public async Task ABodyLargerThanTheClientReadsIsRefusedBeforeItIsRead()
    {
        using var server = new OneAnswerServer("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 40000000\r\n\r\n[]"u8.ToArray());
        var clerk = server.Client();

        var e = await Assert.ThrowsAsync<System.Text.Json.JsonException>(() => clerk.ListUsersAsync(new UserQuery(Limit: 500), CancellationToken.None));

        Assert.Equal("Clerk's answer to users?limit=500 is 40,000,000 bytes, more than the 33,554,432 the client reads.", e.Message);
        await server.StopAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => server.Serving);
    }

    [Fact]
    public async Task TheLimiterNeverLetsMoreThanItsShareIntoAWindow()
    {
        var limiter = new ClerkRateLimiter(_h.Time);
        var sent = new List<DateTimeOffset>();
        var work = Task.Run(async () =>
        {
            for (var i = 0; i < 250; i++)
            {
                using (await limiter.AcquireAsync(TestSandbox.SecretKey, 90, TimeSpan.FromSeconds(10), CancellationToken.None))
                {
                    sent.Add(_h.Time.GetUtcNow());
                }
            }
        });

        await _h.DriveAsync(work);

        Assert.Equal(250, sent.Count);
        Assert.All(sent, t => Assert.True(sent.Count(s => s > t - TimeSpan.FromSeconds(10) && s <= t) <= 90));
        Assert.True(sent[^1] - sent[0] >= TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task ACallThatReachesClerkLateKeepsItsPlaceUntilAWindowAfterItsAnswerSoClerkNeverAnswers429()
    {
        // Clerk's window and the client's both hold 10 calls per 10 s (no headroom). The tenth call takes 2 s to reach
        // Clerk, which counts it then: a client that freed its place 10 s after sending it would send the twentieth
        // call at 10 s, while Clerk still counts the tenth, and be answered 429.
        await using var h = await Harness.StartAsync(s =>
        {
            s["Clerk:RateLimit:TestRequests"] = "10";
            s["Clerk:RateLimit:Headroom"] = "1";
        });
        h.Sandbox.RateLimit = 10;
        h.Sandbox.RateWindow = TimeSpan.FromSeconds(10);
        h.Sandbox.AddUser("user_a", ["a@example.org"]);
        h.Sandbox.Latency = (path, nth) => path == "/v1/users/user_a" && nth == 10 ? TimeSpan.FromSeconds(2) : TimeSpan.Zero;
        var clerk = h.Services.GetRequiredService<IClerkClient>();
        var answered = new List<TimeSpan>();

        await h.DriveAsync(Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                await clerk.GetUserAsync("user_a", CancellationToken.None);
                answered.Add(h.Time.GetUtcNow() - Harness.Start);
            }
        }));

        Assert.Equal(0, h.Sandbox.RateLimited);
        Assert.Equal(20, h.Sandbox.Count("GET", "^/v1/users/user_a$"));
        // The tenth answer came at 2 s (plus the driver's steps); nine more fit in when the first nine leave at 10 s, the
        // twentieth only when the tenth leaves, a window after its answer.
        Assert.InRange(answered[9], TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2.5));
        Assert.All(answered[10..19], t => Assert.InRange(t, TimeSpan.FromSeconds(10), answered[9] + TimeSpan.FromSeconds(10) - TimeSpan.FromTicks(1)));
        Assert.True(answered[19] >= answered[9] + TimeSpan.FromSeconds(10), $"the twentieth answer came at {answered[19]}");
    }

    [Fact]
    public async Task AllUsersAreWalkedWithTheStartingAfterCursorFiveHundredAPage()
    {
        for (var i = 0; i < 1200; i++)
        {
            _h.Sandbox.AddUser($"user_w{i:D4}", [$"w{i}@example.org"]);
        }

        var seen = await _h.DriveAsync(Task.Run(async () =>
        {
            var ids = new List<string>();
            await foreach (var user in Clerk.AllUsersAsync(new UserQuery(), CancellationToken.None))
            {
                ids.Add(user.Id);
            }

            return ids;
        }));

        Assert.Equal(1200, seen.Distinct().Count());
        Assert.Equal(3, _h.Sandbox.Count("GET", "^/v1/users$"));
        Assert.Empty(_h.Sandbox.Violations);
    }

    [Fact]
    public async Task AnUnreachableApiIsRetriedUntilTheBudgetThenNamedPlainly()
    {
        await using var h = await Harness.StartAsync(s => s["Clerk:ApiUrl"] = "http://127.0.0.1:9/v1/");
        var clerk = h.Services.GetRequiredService<IClerkClient>();
        var started = h.Time.GetUtcNow();

        var e = await Assert.ThrowsAsync<ClerkUnavailableException>(() => h.DriveAsync(clerk.GetInstanceAsync(CancellationToken.None)));

        Assert.Contains("Clerk could not be reached: connection failed", e.Message);
        Assert.True(e.Attempts > 2);
        Assert.True(h.Time.GetUtcNow() - started <= TimeSpan.FromSeconds(121));
    }
}
