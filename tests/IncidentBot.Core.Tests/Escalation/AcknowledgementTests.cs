using IncidentBot.Core.Commands;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.People;
using IncidentBot.Core.Tests.Escalation.Support;

namespace IncidentBot.Core.Tests.Escalation;

public sealed class AcknowledgementTests
{
    [Fact]
    public async Task AckOneSecondBeforeTheLeadsDeadlineMeansOnlyTheOnCallWasPaged()
    {
        var bot = new EscalationHarness();
        var id = await bot.DeclareAsync("sev2");

        await bot.AdvanceAsync(TimeSpan.FromMinutes(15) - TimeSpan.FromSeconds(1));
        await bot.RunAsync($"/incident ack {id}", by: "alice");
        await bot.AdvanceAsync(TimeSpan.FromHours(2));

        Assert.Equal(["+00:00:00 L1 R1 alice"], bot.PageLog(id));
        var state = bot.State(id);
        Assert.Equal("alice", state.AcknowledgedBy);
        Assert.Equal(EscalationHarness.Start + TimeSpan.FromSeconds(899), state.AcknowledgedAt);
        Assert.Null(state.NextPingAt);
        Assert.Single(bot.Entries(id, "Escalation stopped: acknowledged by alice 14 minutes 59 seconds"));
    }

    [Fact]
    public async Task AckOneSecondAfterTheLeadsDeadlineComesAfterTheLeadWasPagedAndStopsTheCto()
    {
        var bot = new EscalationHarness();
        var id = await bot.DeclareAsync("sev2");

        await bot.AdvanceAsync(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));
        await bot.RunAsync($"/incident ack {id}", by: "bob");
        await bot.AdvanceAsync(TimeSpan.FromHours(2));

        Assert.Equal(["+00:00:00 L1 R1 alice", "+00:15:00 L2 R1 bob"], bot.PageLog(id));
        Assert.Equal("bob", bot.State(id).AcknowledgedBy);
        Assert.Equal(EscalationHarness.Start + TimeSpan.FromSeconds(901), bot.State(id).AcknowledgedAt);
    }

    [Fact]
    public async Task TheAcknowledgeButtonOnAPageStopsTheChainAndTheReportCountsTimeToAcknowledge()
    {
        var bot = new EscalationHarness();
        var id = await bot.DeclareAsync("sev2");
        await bot.AdvanceAsync(TimeSpan.FromMinutes(20));
        var button = bot.Surface.Directs.Last().Message.Buttons.Single().Action;

        var result = await bot.Router.PressAsync(new CommandContext(new Actor("bob"), "test", "dm"), button, CancellationToken.None);
        await bot.AdvanceAsync(TimeSpan.FromHours(1));

        Assert.Equal(IncidentState.Investigating, bot.Incidents.Find(id)!.State);
        Assert.Contains("acknowledged by bob", result.Reply.Message.Text);
        Assert.Equal(2, bot.PageLog(id).Count);
        var ack = bot.Incidents.Find(id)!.FirstTransitionTo(IncidentState.Investigating)!;
        Assert.Equal(TimeSpan.FromMinutes(20), ack.At - bot.Incidents.Find(id)!.DeclaredAt);
    }

    [Fact]
    public async Task AnOldAcknowledgeButtonPressedAfterTheAckIsToldItIsStale()
    {
        var bot = new EscalationHarness();
        var id = await bot.DeclareAsync("sev2");
        var button = bot.Surface.Directs.Single().Message.Buttons.Single().Action;
        await bot.RunAsync($"/incident ack {id}", by: "alice");

        var late = await bot.Router.PressAsync(new CommandContext(new Actor("bob"), "test", "dm"), button, CancellationToken.None);

        Assert.Contains("stale", late.Reply.Message.Text);
        Assert.Equal("alice", bot.State(id).AcknowledgedBy);
    }

    [Fact]
    public async Task ResolvingOrCancellingStopsPagingAndReminders()
    {
        var bot = new EscalationHarness();
        var resolved = await bot.DeclareAsync("sev1");
        var cancelled = await bot.DeclareAsync("sev1");
        await bot.RunAsync($"/incident ack {resolved}");
        await bot.RunAsync($"/incident resolve {resolved}");
        await bot.RunAsync($"/incident cancel {cancelled} a test alert fired");

        await bot.AdvanceAsync(TimeSpan.FromHours(3));

        Assert.Single(bot.PageLog(resolved));
        Assert.Single(bot.PageLog(cancelled));
        Assert.Empty(bot.Entries(resolved, "Reminded"));
        Assert.Empty(bot.Entries(cancelled, "Reminded"));
        Assert.Single(bot.Entries(cancelled, $"Escalation stopped: {cancelled} is Cancelled"));
        Assert.Null(bot.Scheduler.NextDue());
    }
}
