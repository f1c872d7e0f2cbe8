using IncidentBot.Clerk.Status;
using IncidentBot.Clerk.Tests.Support;
using IncidentBot.Core.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace IncidentBot.Clerk.Tests.Status;

/// <summary>The status watch as a hosted service on the fake clock, reading the sandbox's status page.</summary>
public sealed class StatusWatchTests : IAsyncLifetime
{
    private const string Degraded = """{"status":{"indicator":"minor","description":"Partially Degraded Service"},"components":[{"name":"User and authentication","status":"degraded_performance"}]}""";
    private const string Operational = """{"status":{"indicator":"none","description":"All Systems Operational"}}""";
    private static readonly TimeSpan Every = TimeSpan.FromMinutes(2);

    private Harness _h = null!;

    public async Task InitializeAsync() => _h = await Harness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private ClerkStatusWatch Watch => _h.Services.GetServices<IHostedService>().OfType<ClerkStatusWatch>().Single();

    private int StatusReads => _h.Sandbox.Count("GET", "^/status/");

    [Fact]
    public async Task WhenTheStatusPageGoesFromDegradedToOperationalTheRoomAndTimelineHearRecovered()
    {
        _h.Sandbox.StatusJson = Degraded;
        await _h.RunAsync("alice", "/incident declare auth-outage sev1 Nobody can sign in");
        await _h.IdleAsync();
        var watch = Watch;
        await watch.StartAsync(CancellationToken.None);

        _h.Time.Advance(Every);
        var first = await _h.Chat.WaitForAsync(p => p.Header == "INC-1 · Clerk status: watching, degraded now");
        Assert.Contains("every 2 minutes while INC-1 is open", first.Text);
        Assert.Equal(MessageKind.Warning, first.Kind);

        _h.Time.Advance(Every); // still degraded: nothing to say
        _h.Sandbox.StatusJson = Operational;
        _h.Time.Advance(Every);
        var recovered = await _h.Chat.WaitForAsync(p => p.Header == "INC-1 · Clerk status: recovered");

        Assert.Contains("reads operational again (was degraded)", recovered.Text);
        Assert.DoesNotContain("bypass", recovered.Text);
        Assert.Contains("All Systems Operational", recovered.Text);
        Assert.Single(_h.Chat.Posts, p => p.Header?.StartsWith("INC-1 · Clerk status:", StringComparison.Ordinal) == true && p.Header.Contains("degraded", StringComparison.Ordinal));
        Assert.Contains(_h.Incidents.Timeline("INC-1"), e => e.Text.StartsWith("Clerk status watch: recovered.", StringComparison.Ordinal));

        await watch.StopAsync(CancellationToken.None);
        Assert.True(watch.ExecuteTask!.IsCompleted);
    }

    [Fact]
    public async Task RecoveredRemindsThatTheEmergencyBypassIsStillOn()
    {
        _h.Sandbox.StatusJson = Degraded;
        await _h.RunAsync("alice", "/incident declare auth-outage sev1 Nobody can sign in");
        await _h.RunAsync("alice", "/incident ack");
        await _h.IdleAsync();
        await _h.RunAsync("alice", "/incident hook emergency-bypass-on");
        await _h.PressAsync("bob", _h.Chat.Button("A1", "Approve"));
        Assert.NotNull(_h.Incident().Switch(IncidentBot.Core.Approvals.SwitchOn.EmergencyBypass));

        await Watch.PollAsync(CancellationToken.None);
        _h.Sandbox.StatusJson = Operational;
        await Watch.PollAsync(CancellationToken.None);

        var recovered = _h.Chat.Posts.Single(p => p.Header == "INC-1 · Clerk status: recovered");
        Assert.Contains("The emergency bypass is still ON: check that sign-in works, then turn it off.", recovered.Text);
    }

    [Fact]
    public async Task ItReadsNothingWhileNoAuthOutageOrPerformanceIncidentIsOpenAndStopsOnShutdown()
    {
        _h.Sandbox.StatusJson = Degraded;
        await _h.RunAsync("alice", "/incident declare security sev1 Stolen sessions");
        var watch = Watch;
        await watch.StartAsync(CancellationToken.None);

        await watch.PollAsync(CancellationToken.None);
        _h.Time.Advance(Every);
        await watch.StopAsync(CancellationToken.None);

        Assert.True(watch.ExecuteTask!.IsCompleted);
        Assert.Equal(0, StatusReads);
        Assert.DoesNotContain(_h.Chat.Posts, p => p.Header?.Contains("Clerk status:", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task AnUnreadablePageChangesNothingAndAResolvedIncidentIsNoLongerWatched()
    {
        _h.Sandbox.StatusJson = Operational;
        await _h.RunAsync("alice", "/incident declare performance sev2 Slow sign-in");
        await _h.IdleAsync();
        var watch = Watch;

        await watch.PollAsync(CancellationToken.None);
        _h.Sandbox.StatusJsonFails = 503; // the page can't be read
        await watch.PollAsync(CancellationToken.None);
        _h.Sandbox.StatusJsonFails = null;
        _h.Sandbox.StatusJson = """{"status":{"indicator":"major","description":"Partial System Outage"}}""";
        await watch.PollAsync(CancellationToken.None);
        await _h.RunAsync("alice", "/incident ack");
        await _h.RunAsync("alice", "/incident resolve");
        var reads = StatusReads;
        _h.Sandbox.StatusJson = Operational;
        await watch.PollAsync(CancellationToken.None);

        var said = _h.Chat.Posts.Where(p => p.Header?.StartsWith("INC-1 · Clerk status:", StringComparison.Ordinal) == true).Select(p => p.Header).ToList();
        Assert.Equal(["INC-1 · Clerk status: watching, operational now", "INC-1 · Clerk status: outage"], said);
        Assert.Equal(reads, StatusReads);
    }
}
