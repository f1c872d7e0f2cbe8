using IncidentBot.Core.Tests.Escalation.Support;

namespace IncidentBot.Core.Tests.Escalation;

public sealed class EscalateCommandTests
{
    [Fact]
    public async Task EscalateByHandPagesTheNextLevelNowAndTheChainCarriesOnFromThere()
    {
        var bot = new EscalationHarness();
        var id = await bot.DeclareAsync("sev2");

        await bot.AdvanceAsync(TimeSpan.FromMinutes(5));
        await bot.RunAsync($"/incident escalate {id}", by: "alice");
        await bot.AdvanceAsync(TimeSpan.FromHours(1));

        Assert.Equal(["+00:00:00 L1 R1 alice", "+00:05:00 L2 R1 bob", "+00:20:00 L3 R1 carol"], bot.PageLog(id));
        var byHand = bot.PageEntries(id)[1];
        Assert.Equal("alice", byHand.Actor);
        Assert.Contains("escalated by hand by alice", byHand.Text);
        Assert.Equal("alice", bot.State(id).Pings[1].ByHand);
    }

    [Fact]
    public async Task EscalateAfterAnAckPagesTheNextLevelOnceWithoutRestartingTheTimer()
    {
        var bot = new EscalationHarness();
        var id = await bot.DeclareAsync("sev2");
        await bot.RunAsync($"/incident ack {id}", by: "alice");

        await bot.RunAsync($"/incident escalate {id}", by: "alice");
        await bot.AdvanceAsync(TimeSpan.FromHours(1));

        Assert.Equal(["+00:00:00 L1 R1 alice", "+00:00:00 L2 R1 bob"], bot.PageLog(id));
        Assert.Empty(bot.Surface.Directs.Last().Message.Buttons);
    }

    [Fact]
    public async Task EscalateAtTheLastLevelIsRefusedWithTheReason()
    {
        var bot = new EscalationHarness();
        var id = await bot.DeclareAsync("sev3");

        var result = await bot.RunAsync($"/incident escalate {id}");

        Assert.Equal($"{id} is already at the last escalation level (1: on-call: alice).", result.Reply.Message.Text);
        Assert.Single(bot.PageLog(id));
    }

    [Fact]
    public async Task EscalateOnAResolvedIncidentIsRefused()
    {
        var bot = new EscalationHarness();
        var id = await bot.DeclareAsync("sev2");
        await bot.RunAsync($"/incident ack {id}");
        await bot.RunAsync($"/incident resolve {id}");

        var result = await bot.RunAsync($"/incident escalate {id}");

        Assert.Contains("Resolved: nobody is paged", result.Reply.Message.Text);
    }
}
