using IncidentBot.Core.Tests.Escalation.Support;

namespace IncidentBot.Core.Tests.Escalation;

/// <summary>
/// Pages are at most once per level: the page is recorded in the same commit that precedes the send, so a crash after
/// the commit loses that one page rather than sending it twice; a crash before the commit leaves it due, and it is sent after the restart.
/// </summary>
public sealed class DeliveryGuaranteeTests
{
    [Fact]
    public async Task ACrashWhileSendingAPageDoesNotPageThatLevelAgainAfterTheRestart()
    {
        var bot = new EscalationHarness();
        var id = await bot.DeclareAsync("sev2");
        bot.Surface.CrashOnNextPing = true;

        await bot.AdvanceAsync(TimeSpan.FromMinutes(15));
        Assert.DoesNotContain(bot.Surface.Directs, d => d.PersonName == "bob");
        var restarted = bot.Restart();
        await restarted.AdvanceAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(["+00:00:00 L1 R1 alice", "+00:15:00 L2 R1 bob"], restarted.PageLog(id));
        Assert.Empty(restarted.Surface.Directs);
        Assert.Equal(2, restarted.PageEntries(id).Count);
        await restarted.AdvanceAsync(TimeSpan.FromMinutes(15));
        Assert.Equal(["carol"], restarted.DirectedTo());
    }

    [Fact]
    public async Task ACrashBeforeThePageIsRecordedSendsItAfterTheRestartMarkedLate()
    {
        var bot = new EscalationHarness(EscalationHarness.DefaultPolicy(reminders: false));
        var id = await bot.DeclareAsync("sev2");
        bot.Store.FailNextCommit = true;

        await bot.AdvanceAsync(TimeSpan.FromMinutes(15));
        Assert.Single(bot.PageLog(id));
        bot.Time.Advance(TimeSpan.FromMinutes(5));
        var restarted = bot.Restart();
        await restarted.AdvanceAsync(TimeSpan.Zero);

        Assert.Equal(["+00:00:00 L1 R1 alice", "+00:20:00 L2 R1 bob"], restarted.PageLog(id));
        Assert.Equal(["bob"], restarted.DirectedTo());
        Assert.Contains("Late: this page was due at 2026-11-28 02:15:00 UTC", restarted.PageEntries(id)[1].Text);
    }

    [Fact]
    public async Task AfterLongDowntimeEachOverdueLevelIsPagedOnceInOrderAndRepeatRoundsAreNotBurst()
    {
        var bot = new EscalationHarness();
        var id = await bot.DeclareAsync("sev1");

        bot.Time.Advance(TimeSpan.FromHours(2));
        var restarted = bot.Restart();
        await restarted.AdvanceAsync(TimeSpan.Zero);

        Assert.Equal(["+00:00:00 L1 R1 alice", "+02:00:00 L2 R1 bob", "+02:00:00 L3 R1 carol", "+02:00:00 L1 R2 alice"], restarted.PageLog(id));
        Assert.Equal(["bob", "carol", "alice"], restarted.DirectedTo());
        Assert.All(restarted.State(id).Pings.Skip(1), p => Assert.True(p.Late));
        Assert.Single(restarted.Entries(id, "Not paged again while catching up"));
        Assert.Null(restarted.State(id).NextPingAt);
    }
}
