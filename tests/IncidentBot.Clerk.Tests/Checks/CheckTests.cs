using IncidentBot.Clerk.Status;
using IncidentBot.Clerk.Tests.Support;
using IncidentBot.Clerk.Webhooks;

namespace IncidentBot.Clerk.Tests.Checks;

public sealed class CheckTests : IAsyncLifetime
{
    private const string Degraded = """
        {"page":{"id":"p1","name":"Clerk","url":"https://status.clerk.com","time_zone":"Etc/UTC","updated_at":"2026-11-28T17:55:00Z"},
         "status":{"indicator":"major","description":"Partial System Outage"},
         "components":[{"id":"c1","name":"User and authentication","status":"major_outage"},{"id":"c2","name":"Dashboard","status":"operational"}],
         "incidents":[{"id":"i1","name":"Elevated sign-in errors","status":"investigating"}],
         "scheduled_maintenances":[]}
        """;

    private Harness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await Harness.StartAsync();
        await _h.RunAsync("alice", "/incident declare performance sev2 Slow sign-in");
        await _h.IdleAsync();
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private async Task<string> CheckAsync(string name)
    {
        await _h.RunAsync("alice", $"/incident check {name}");
        var post = _h.Chat.Posts.Last(p => p.Header!.Contains($"Check {name}:", StringComparison.Ordinal));
        return $"{post.Header}\n{post.Text}";
    }

    [Fact]
    public async Task StatusReadsAtlassianStatuspageJsonAndProbesTheBackendApi()
    {
        _h.Sandbox.StatusJson = Degraded;

        var text = await CheckAsync("clerk.status");

        Assert.Contains("Check clerk.status: PROBLEM", text);
        Assert.Contains("Partial System Outage", text);
        Assert.Contains("User and authentication: major outage", text);
        Assert.Contains("Incident: Elevated sign-in errors (investigating)", text);
        Assert.Contains("Backend API probe (GET /jwks): ok", text);
    }

    [Fact]
    public async Task StatusFallsBackToTheRssFeed()
    {
        _h.Sandbox.StatusJsonFails = 404;
        _h.Sandbox.StatusRss = $"""
            <?xml version="1.0"?><rss version="2.0"><channel><title>Clerk status</title>
            <item><title>Degraded session management</title><description>Investigating - we see elevated errors</description><pubDate>{_h.Time.GetUtcNow().AddMinutes(-20):R}</pubDate></item>
            <item><title>Email delays</title><description>Resolved - all good</description><pubDate>{_h.Time.GetUtcNow().AddDays(-3):R}</pubDate></item>
            </channel></rss>
            """;

        var text = await CheckAsync("clerk.status");

        Assert.Contains("an incident is open: Degraded session management", text);
        Assert.Contains("/status/feed.rss", text);
    }

    [Fact]
    public async Task StatusSaysUnknownWhenThePageCannotBeRead()
    {
        _h.Sandbox.StatusJsonFails = 503;
        var text = await CheckAsync("clerk.status");

        Assert.Contains("Check clerk.status: unknown", text);
        Assert.Contains("state is unknown", text);
        Assert.DoesNotContain("Operational", text);
    }

    [Fact]
    public async Task AStatusUrlWithCredentialsOrATokenIsNeverPostedRaw()
    {
        await using var h = await Harness.StartAsync(s => s["Clerk:StatusUrl"] = s["Clerk:StatusUrl"]!.Replace("http://", "http://ops:hunter2@", StringComparison.Ordinal) + "?token=sekrit-token");
        await h.RunAsync("alice", "/incident declare performance sev2 Slow sign-in");
        await h.IdleAsync();
        h.Sandbox.StatusJson = Degraded;

        await h.RunAsync("alice", "/incident check clerk.status");

        var said = string.Join("\n", h.Chat.Posts.Select(p => $"{p.Header}\n{p.Text}\n{string.Join("\n", p.Fields.Select(f => f.Value))}"));
        Assert.Contains("Check clerk.status: PROBLEM", said);
        Assert.DoesNotContain("hunter2", said);
        Assert.DoesNotContain("sekrit-token", said);
    }

    [Fact]
    public void FeedsAndJsonParseWithoutTheNetwork()
    {
        var now = Harness.Start;
        Assert.Equal(ServiceState.Operational, StatusPageReader.Parse("""{"status":{"indicator":"none","description":"All Systems Operational"}}""", now)!.State);
        Assert.Equal(ServiceState.Operational, StatusPageReader.Parse(
            $"""<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>Webhooks delayed</title><summary>Resolved</summary><updated>{now.AddHours(-2):O}</updated></entry></feed>""", now)!.State);
        Assert.Null(StatusPageReader.Parse("<html><body>Status</body></html>", now));
        Assert.Null(StatusPageReader.Parse("not a status page", now));
        Assert.Equal(ServiceState.Unknown, StatusPageReader.Parse("""{"status":{"indicator":"sideways"}}""", now)!.State);
    }

    [Fact]
    public async Task ConfigSaysWhichKeysAreSetAndWhichInstanceTheKeyBelongsTo()
    {
        var text = await CheckAsync("clerk.config");

        Assert.Contains("Clerk:SecretKey: set (development key)", text);
        Assert.Contains("The secret key works: instance ins_2drillsandbox000000000000, environment development", text);
        Assert.Contains("Clerk:WebhookSecret: set", text);
    }

    [Fact]
    public async Task AppHealthReportsStatusAndLatency()
    {
        _h.Sandbox.HealthStatus = 503;

        var text = await CheckAsync("app.health");

        Assert.Contains("Check app.health: PROBLEM", text);
        Assert.Contains("answered 503", text);
    }

    [Fact]
    public async Task TheWebhookProbeIsAValidSvixSignedUserUpdatedEvent()
    {
        var text = await CheckAsync("clerk.webhook-probe");

        Assert.Contains("Check clerk.webhook-probe: ok", text);
        var delivery = Assert.Single(_h.Sandbox.App.Deliveries);
        Assert.True(delivery.Valid);
        Assert.Contains("\"type\":\"user.updated\"", delivery.Body);
    }

    [Fact]
    public async Task AWrongWebhookSecretIsReportedAsRejected()
    {
        _h.Sandbox.Options.WebhookSecret = "whsec_" + Convert.ToBase64String(new byte[32]);

        var text = await CheckAsync("clerk.webhook-probe");

        Assert.Contains("did not accept", text);
        Assert.Contains("HTTP 400", text);
    }

    [Fact]
    public void SvixSignaturesMatchAnIndependentComputation()
    {
        var key = System.Text.Encoding.UTF8.GetBytes("0123456789abcdef0123456789abcdef");
        var secret = "whsec_" + Convert.ToBase64String(key);
        var at = DateTimeOffset.FromUnixTimeSeconds(1_795_888_800);
        var body = """{"type":"user.updated"}""";

        var signature = SvixSignature.Sign(secret, "msg_1", at, body);

        using var hmac = new System.Security.Cryptography.HMACSHA256(key);
        var expected = "v1," + Convert.ToBase64String(hmac.ComputeHash(System.Text.Encoding.UTF8.GetBytes("msg_1.1795888800." + body)));
        Assert.Equal(expected, signature);
        Assert.True(SvixSignature.Verify(secret, "msg_1", "1795888800", body, "v1a,xyz " + signature, at.AddMinutes(4)));
        Assert.False(SvixSignature.Verify(secret, "msg_1", "1795888800", body, signature, at.AddMinutes(6)));
        Assert.False(SvixSignature.Verify(secret, "msg_1", "1795888800", body + " ", signature, at));
    }
}
