using IncidentBot.Core.Messaging;
using IncidentBot.Core.Tests.Escalation.Support;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Core.Tests.Escalation;

public sealed class EscalationTimelineTests
{
    [Fact]
    public async Task UnacknowledgedSev1PagesTheChainTwiceFifteenMinutesApartThenStops()
    {
        var bot = new EscalationHarness();
        var id = await bot.DeclareAsync("sev1");

        await bot.AdvanceAsync(TimeSpan.FromHours(3));

        Assert.Equal(
        [
            "+00:00:00 L1 R1 alice",
            "+00:15:00 L2 R1 bob",
            "+00:30:00 L3 R1 carol",
            "+00:45:00 L1 R2 alice",
            "+01:00:00 L2 R2 bob",
            "+01:15:00 L3 R2 carol",
        ], bot.PageLog(id));
        Assert.Equal(["alice", "bob", "carol", "alice", "bob", "carol"], bot.DirectedTo());
        Assert.Equal(6, bot.PageEntries(id).Count);
        Assert.Null(bot.State(id).NextPingAt);
    }

    [Fact]
    public async Task UnacknowledgedSev2PagesOnCallThenLeadAfterFifteenMinutesThenCtoAfterThirty()
    {
        var bot = new EscalationHarness();
        var id = await bot.DeclareAsync("sev2");

        await bot.AdvanceAsync(TimeSpan.FromHours(3));

        Assert.Equal(["+00:00:00 L1 R1 alice", "+00:15:00 L2 R1 bob", "+00:30:00 L3 R1 carol"], bot.PageLog(id));
        Assert.Equal(["alice", "bob", "carol"], bot.DirectedTo());
    }

    [Fact]
    public async Task UnacknowledgedSev3PagesOnlyTheOnCall()
    {
        var bot = new EscalationHarness();
        var id = await bot.DeclareAsync("sev3");

        await bot.AdvanceAsync(TimeSpan.FromHours(3));

        Assert.Equal(["+00:00:00 L1 R1 alice"], bot.PageLog(id));
        Assert.Equal(["alice"], bot.DirectedTo());
    }

    [Fact]
    public async Task EveryPageIsATimelineEntryAtTheTimeItWasSent()
    {
        var bot = new EscalationHarness();
        var id = await bot.DeclareAsync("sev2");

        await bot.AdvanceAsync(TimeSpan.FromMinutes(31));

        var pages = bot.PageEntries(id);
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30)], pages.Select(e => e.At - EscalationHarness.Start));
        Assert.All(pages, e => Assert.Equal("IncidentBot", e.Actor));
        Assert.Contains("(engineering-lead: bob)", pages[1].Text);
        Assert.DoesNotContain("Late", pages[1].Text);
    }

    [Fact]
    public async Task APageMentionsThePeopleInTheRoomAndSendsEachTheCardWithAnAcknowledgeButton()
    {
        var bot = new EscalationHarness();
        var id = await bot.DeclareAsync("sev2");

        var declaration = Assert.Single(bot.Surface.Publications);
        var ping = Assert.Single(declaration.Posts, p => p.Kind == MessageKind.Ping);
        Assert.Contains(Mention.Of("alice"), ping.Text);
        var direct = Assert.Single(declaration.Directs);
        Assert.Equal("alice", direct.PersonName);
        Assert.Contains(direct.Message.Fields, f => f.Label == "Severity" && f.Value == "sev2");
        var button = Assert.Single(direct.Message.Buttons);
        Assert.Equal("Acknowledge", button.Label);
        Assert.Equal(new ButtonAction(id, "state:Declared", $"ack {id}"), button.Action);
    }

    [Fact]
    public async Task PagesComeFromTheBotNotFromWhoeverDeclared()
    {
        var bot = new EscalationHarness();
        var id = await bot.DeclareAsync("sev2", by: "dave");

        var first = Assert.Single(bot.PageEntries(id));
        Assert.Equal(EntryKind.Escalation, first.Kind);
        Assert.Equal("IncidentBot", first.Actor);
        Assert.Contains("declared by dave", first.Text);
    }
}
