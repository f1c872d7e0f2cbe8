using IncidentBot.Core.Escalation;
using IncidentBot.Core.Tests.Escalation.Support;
using IncidentBot.Core.Service;

namespace IncidentBot.Core.Tests.Escalation;

/// <summary>A page an adapter could not deliver: said in the room and on the timeline, and the next level paged at once.</summary>
public sealed class PageFailureTests
{
    [Fact]
    public async Task AnUndeliveredPagePagesTheNextLevelNowAndTheChainCarriesOnFromThere()
    {
        var bot = new EscalationHarness();
        var id = await bot.DeclareAsync("sev2");

        await Failures(bot).UndeliveredAsync(id, "alice", "DM refused", CancellationToken.None);
        await bot.AdvanceAsync(TimeSpan.FromMinutes(30));

        Assert.Equal(["+00:00:00 L1 R1 alice", "+00:00:00 L2 R1 bob", "+00:15:00 L3 R1 carol"], bot.PageLog(id));
        Assert.Single(bot.Entries(id, "Could not reach alice: DM refused. Paging the next level now."));
        Assert.Contains("alice could not be reached", bot.PageEntries(id)[1].Text);
        Assert.Contains(bot.Surface.Posts, p => p.Text == "Could not reach alice: DM refused. Paging the next level now.");
        Assert.Contains("bob", bot.DirectedTo());
    }

    [Fact]
    public async Task TheSameFailureReportedTwiceIsActedOnOnce()
    {
        var bot = new EscalationHarness();
        var id = await bot.DeclareAsync("sev2");

        await Failures(bot).UndeliveredAsync(id, "alice", "DM refused", CancellationToken.None);
        await Failures(bot).UndeliveredAsync(id, "alice", "DM refused", CancellationToken.None);

        Assert.Equal(["+00:00:00 L1 R1 alice", "+00:00:00 L2 R1 bob"], bot.PageLog(id));
        Assert.Single(bot.Entries(id, "Could not reach alice"));
    }

    [Fact]
    public async Task AFailureForALevelTheChainHasPassedIsSaidButPagesNobodyMore()
    {
        var bot = new EscalationHarness();
        var id = await bot.DeclareAsync("sev2");
        await bot.RunAsync($"/incident escalate {id}", by: "dave");

        await Failures(bot).UndeliveredAsync(id, "alice", "DM refused", CancellationToken.None);

        Assert.Equal(["+00:00:00 L1 R1 alice", "+00:00:00 L2 R1 bob"], bot.PageLog(id));
        Assert.Single(bot.Entries(id, "Could not reach alice: DM refused. Level 2 of 3 is already paged."));
        Assert.Equal(2, bot.State(id).Level);
    }

    [Fact]
    public async Task EachOfTwoPeopleAtALevelWhoCannotBeReachedIsNamedAndTheChainMovesOnOnce()
    {
        var bot = new EscalationHarness(TwoAtLevelOne());
        var id = await bot.DeclareAsync("sev2");

        await Failures(bot).UndeliveredAsync(id, "alice", "DM refused", CancellationToken.None);
        await Failures(bot).UndeliveredAsync(id, "dave", "no SlackId in the roster", CancellationToken.None);

        Assert.Equal(["+00:00:00 L1 R1 alice,dave", "+00:00:00 L2 R1 bob"], bot.PageLog(id));
        var alice = "Could not reach alice: DM refused. Paging the next level now.";
        var dave = "Could not reach dave: no SlackId in the roster. Level 2 of 3 is already paged.";
        Assert.Single(bot.Entries(id, alice));
        Assert.Single(bot.Entries(id, dave));
        Assert.Single(bot.Surface.Posts, p => p.Text == alice);
        Assert.Single(bot.Surface.Posts, p => p.Text == dave);
        Assert.Equal(2, bot.State(id).Level);

        // Reported again, neither is said twice; level 3 still comes at its own time, not early.
        await Failures(bot).UndeliveredAsync(id, "dave", "no SlackId in the roster", CancellationToken.None);
        await bot.AdvanceAsync(TimeSpan.FromMinutes(15));
        Assert.Single(bot.Entries(id, "Could not reach dave"));
        Assert.Equal(["+00:00:00 L1 R1 alice,dave", "+00:00:00 L2 R1 bob", "+00:15:00 L3 R1 carol"], bot.PageLog(id));
    }

    [Fact]
    public async Task TwoPeopleAtTheLastLevelWhoCannotBeReachedAreBothNamed()
    {
        var options = TwoAtLevelOne();
        options.Levels = [options.Levels[0]];
        var bot = new EscalationHarness(options);
        var id = await bot.DeclareAsync("sev2");

        await Failures(bot).UndeliveredAsync(id, "dave", "DM refused", CancellationToken.None);
        await Failures(bot).UndeliveredAsync(id, "alice", "DM refused", CancellationToken.None);

        Assert.Single(bot.PageLog(id));
        Assert.Single(bot.Entries(id, "Could not reach dave: DM refused. There is no further level to page."));
        Assert.Single(bot.Entries(id, "Could not reach alice: DM refused. There is no further level to page."));
    }

    [Fact]
    public async Task AFailureAfterTheAckChangesNothing()
    {
        var bot = new EscalationHarness();
        var id = await bot.DeclareAsync("sev2");
        await bot.RunAsync($"/incident ack {id}", by: "alice");

        await Failures(bot).UndeliveredAsync(id, "alice", "DM refused", CancellationToken.None);

        Assert.Single(bot.PageLog(id));
        Assert.Empty(bot.Entries(id, "Could not reach"));
    }

    [Fact]
    public async Task AtTheLastLevelTheRoomIsToldThereIsNobodyFurther()
    {
        var bot = new EscalationHarness();
        var id = await bot.DeclareAsync("sev3");

        await Failures(bot).UndeliveredAsync(id, "alice", "no SlackId in the roster", CancellationToken.None);

        Assert.Single(bot.PageLog(id));
        Assert.Single(bot.Entries(id, "Could not reach alice: no SlackId in the roster. There is no further level to page."));
    }

    /// <summary>The shipped policy, but level 1 pages alice (the on-call) and dave together.</summary>
    private static EscalationOptions TwoAtLevelOne()
    {
        var options = EscalationHarness.DefaultPolicy(reminders: false);
        options.Levels[0].Notify = ["on-call", "dave"];
        return options;
    }

    private static IPageFailures Failures(EscalationHarness bot) => new Applied(bot.Incidents);

    /// <summary>Applies a failure at once, as <see cref="PageFailureWorker"/> does in the host.</summary>
    private sealed class Applied(IncidentService incidents) : IPageFailures
    {
        public Task UndeliveredAsync(string incidentId, string person, string why, CancellationToken cancellationToken) =>
            PageFailureWorker.ApplyAsync(incidents, incidentId, person, why, cancellationToken);
    }
}
