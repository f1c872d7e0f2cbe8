using System.Net;
using System.Text;
using IncidentBot.Clerk.Actions;
using IncidentBot.Clerk.Api;
using IncidentBot.Clerk.Status;
using IncidentBot.Clerk.Webhooks;
using IncidentBot.Sandbox.Tests.Support;

namespace IncidentBot.Sandbox.Tests.App;

/// <summary>The watched app's endpoints and the faults, read the way the bot reads them.</summary>
public sealed class AppAndFaultTests : IAsyncLifetime
{
    private SandboxFixture _f = null!;

    public async Task InitializeAsync() => _f = await SandboxFixture.StartAsync();

    public async Task DisposeAsync() => await _f.DisposeAsync();

    [Fact]
    public async Task TheStatusPageIsStatuspageJsonThatTheBotsReaderUnderstands()
    {
        var healthy = await StatusAsync();
        _f.Sandbox.Faults.StartAuthOutage(TimeSpan.FromMinutes(10));
        var outage = await StatusAsync();

        Assert.Equal(ServiceState.Operational, healthy.State);
        Assert.Equal(ServiceState.Outage, outage.State);
        Assert.Contains("Backend API: major outage", outage.Details);
    }

    [Fact]
    public async Task AnAuthOutageAnswers503UntilItRecoversOnTheClock()
    {
        _f.Sandbox.Faults.StartAuthOutage(TimeSpan.FromMinutes(10));

        var during = await Assert.ThrowsAsync<ClerkApiException>(() => _f.Client.GetJwksAsync(CancellationToken.None));
        using var healthDuring = await _f.Http.GetAsync("/app/health");
        _f.Time.Advance(TimeSpan.FromMinutes(10));
        var after = await _f.Client.GetJwksAsync(CancellationToken.None);
        var status = await StatusAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, during.Status);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, healthDuring.StatusCode);
        Assert.NotEmpty(after.Keys);
        Assert.Equal(ServiceState.Operational, status.State);
    }

    [Fact]
    public async Task TheSignedBypassHookLetsTheAppsHealthThroughAndAnUnsignedOneChangesNothing()
    {
        _f.Sandbox.Faults.StartAuthOutage(TimeSpan.FromHours(1));

        using var unsigned = await _f.Http.PostAsync("/app/hooks/bypass-on", new StringContent("{}", Encoding.UTF8, "application/json"));
        using var stillDown = await _f.Http.GetAsync("/app/health");
        using var on = await HookAsync(SandboxApp.BypassOn);
        using var through = await _f.Http.GetAsync("/app/health");
        using var off = await HookAsync(SandboxApp.BypassOff);
        using var downAgain = await _f.Http.GetAsync("/app/health");

        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, stillDown.StatusCode);
        Assert.Equal(HttpStatusCode.OK, on.StatusCode);
        Assert.Equal(HttpStatusCode.OK, through.StatusCode);
        Assert.Equal(HttpStatusCode.OK, off.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, downAgain.StatusCode);
        Assert.Equal(
            [("bypass-on", false, (string?)null), ("bypass-on", true, "signed"), ("bypass-off", true, "signed")],
            _f.Sandbox.App.HookCalls.Select(h => (h.Hook, h.Valid, h.Signature is null ? null : "signed")));
    }

    [Fact]
    public async Task TheWebhookReceiverChecksTheSvixSignature()
    {
        using var good = await WebhookAsync(_f.Sandbox.Options.WebhookSecret);
        using var bad = await WebhookAsync("whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes("some-other-secret-of-32-bytes!!!")));

        Assert.Equal(HttpStatusCode.NoContent, good.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task FailingWebhooksDriftTheAppsTableAndPauseResumeWorksTheReceiver()
    {
        Assert.Empty(_f.Sandbox.App.Drift());

        var changed = _f.Sandbox.Faults.FailWebhooks(signUps: 4, emailChanges: 2);
        using var failing = await WebhookAsync(_f.Sandbox.Options.WebhookSecret);
        using var paused = await HookAsync(SandboxApp.PauseWebhooks);
        using var queued = await WebhookAsync(_f.Sandbox.Options.WebhookSecret);
        var banned = _f.Sandbox.Users.First(u => !u.Banned && !changed.Contains(u.Id));
        await _f.Client.BanUserAsync(banned.Id, CancellationToken.None); // delivered while paused: queued
        using var resumed = await HookAsync(SandboxApp.ResumeWebhooks);
        using var working = await WebhookAsync(_f.Sandbox.Options.WebhookSecret);

        Assert.Equal(HttpStatusCode.InternalServerError, failing.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, working.StatusCode);
        Assert.Equal(6, _f.Sandbox.App.Missed);
        Assert.Equal(changed.Order(), _f.Sandbox.App.Drift().Order()); // the queued ban was applied on resume; the missed ones need a resync
    }

    [Fact]
    public async Task SlowAnswersAreSlowOnTheClockTheBotMeasures()
    {
        _f.Sandbox.Faults.SlowDown(TimeSpan.FromMilliseconds(800), TimeSpan.FromMinutes(30));
        var started = _f.Time.GetTimestamp();

        await _f.Client.GetJwksAsync(CancellationToken.None);

        Assert.Equal(TimeSpan.FromMilliseconds(800), _f.Time.GetElapsedTime(started));
        Assert.Equal(ServiceState.Degraded, (await StatusAsync()).State);
    }

    [Fact]
    public async Task SuspiciousSessionsAreActiveSessionsFromAnUnknownPlace()
    {
        var victims = _f.Sandbox.Faults.PlantSuspiciousSessions(3);

        var page = await _f.Client.ListSessionsAsync(victims[0], "active", 50, 0, CancellationToken.None);

        Assert.Equal(3, victims.Distinct().Count());
        Assert.Equal(2, _f.Sandbox.SessionsOf(victims[0]).Count(s => s.Suspicious));
        Assert.Equal(_f.Sandbox.SessionsOf(victims[0]).Count, page.Data.Count);
        Assert.Empty(_f.Sandbox.Violations);
    }

    private Task<StatusReport> StatusAsync() =>
        new StatusPageReader(new HttpClient(), Microsoft.Extensions.Options.Options.Create(new IncidentBot.Clerk.ClerkOptions { StatusUrl = _f.Sandbox.StatusUrl }), _f.Time)
            .ReadAsync(CancellationToken.None);

    private Task<HttpResponseMessage> HookAsync(string name)
    {
        var body = $"{{\"hook\":\"{name}\"}}";
        var request = new HttpRequestMessage(HttpMethod.Post, _f.Sandbox.HookUrl(name)) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(HookActions.SignatureHeader, HookActions.Sign(_f.Sandbox.Options.HookSecret, _f.Time.GetUtcNow(), body));
        return _f.Http.SendAsync(request);
    }

    private Task<HttpResponseMessage> WebhookAsync(string secret)
    {
        const string body = "{\"type\":\"user.updated\",\"data\":{\"id\":\"user_incidentbot_probe\"}}";
        var request = new HttpRequestMessage(HttpMethod.Post, _f.Sandbox.WebhookUrl) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("svix-id", "msg_1");
        request.Headers.Add("svix-timestamp", _f.Time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("svix-signature", SvixSignature.Sign(secret, "msg_1", _f.Time.GetUtcNow(), body));
        return _f.Http.SendAsync(request);
    }
}
