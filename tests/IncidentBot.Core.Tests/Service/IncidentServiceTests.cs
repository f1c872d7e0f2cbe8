using IncidentBot.Core.Commands;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.People;
using IncidentBot.Core.Tests.Support;
using IncidentBot.Tests.Support;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Core.Tests.Service;

public sealed class IncidentServiceTests : IDisposable
{
    private readonly CoreHarness _core = new();

    [Fact]
    public async Task DeclaringOpensTheIncidentPostsTheCardAndTheFirstStep()
    {
        var result = await _core.RunAsync("/incident declare auth-outage sev1 Users cannot sign in");

        Assert.Equal("INC-1", result.IncidentId);
        var incident = _core.Store.Find("INC-1")!;
        Assert.Equal((IncidentState.Declared, Severity.Sev1, "alice", "auth-outage-response"), (incident.State, incident.Severity, incident.Declarer, incident.RunbookId));
        var publication = _core.Surface.Publications.First();
        Assert.True(publication.Declared);
        Assert.Equal("INC-1 · Users cannot sign in", publication.Card.Header);
        Assert.Contains(publication.Card.Fields, f => f.Label == "Runbook" && f.Value == "Auth outage response: step 1 of 11");
        var step = publication.Posts.Last();
        Assert.Equal("INC-1 · Step 1 of 11: Confirm outage (check status.clerk.com)", step.Header);
        Assert.Equal(["Done", "Skip"], step.Buttons.Select(b => b.Label).ToArray());
        Assert.Equal(new ButtonAction("INC-1", "step:confirm-outage", "step INC-1 done"), step.Buttons[0].Action);
    }

    [Fact]
    public async Task IncidentNumbersCountUp()
    {
        await _core.RunAsync("/incident declare auth-outage sev1 One");
        var second = await _core.RunAsync("/incident declare security sev2 Two");

        Assert.Equal("INC-2", second.IncidentId);
        Assert.Equal(2, _core.Incidents.List(openOnly: true).Count);
    }

    [Fact]
    public async Task TwentyConcurrentCommandsLoseNoneOfTheirTimelineEntries()
    {
        await _core.RunAsync("/incident declare auth-outage sev1 Users cannot sign in");

        await Task.WhenAll(Enumerable.Range(1, 20).Select(i => Task.Run(() => _core.RunAsync($"/incident note INC-1 finding {i}"))));

        var notes = _core.Store.Timeline("INC-1").Where(e => e.Kind == EntryKind.Note).Select(e => e.Text).ToList();
        Assert.Equal(20, notes.Count);
        Assert.Equal(20, _core.Store.Find("INC-1")!.Notes.Count);
        Assert.All(Enumerable.Range(1, 20), i => Assert.Contains(notes, n => n.EndsWith($"finding {i}")));
    }

    [Fact]
    public async Task TwentyPressesOfOneStepButtonAdvanceTheRunbookOnce()
    {
        await _core.RunAsync("/incident declare auth-outage sev1 Users cannot sign in");
        await _core.RunAsync("/incident ack INC-1");
        var done = new ButtonAction("INC-1", "step:confirm-outage", "step INC-1 done");

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => _core.PressAsync(done))));

        Assert.Single(_core.Store.Find("INC-1")!.Steps);
        Assert.Equal(19, results.Count(r => r.Reply.Message.Text.StartsWith("This button is stale", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AStaleButtonIsRefusedWithoutWaitingForTheIncidentsLockAndAValidOneWaitsForIt()
    {
        await _core.RunAsync("/incident declare auth-outage sev1 Users cannot sign in");
        await _core.RunAsync("/incident ack INC-1");
        var stale = new ButtonAction("INC-1", "state:Declared", "ack INC-1");
        var done = new ButtonAction("INC-1", "step:confirm-outage", "step INC-1 done");

        // Someone else's change holds the incident (a slow commit, say).
        var held = await _core.Get<IncidentBot.Core.Service.IncidentLocks>().AcquireAsync("INC-1", CancellationToken.None);
        var refusing = _core.Router.PressAsync(new CommandContext(new Actor("bob"), "test", "dm"), stale, CancellationToken.None);
        var waiting = _core.Router.PressAsync(new CommandContext(new Actor("bob"), "test", "dm"), done, CancellationToken.None);

        Assert.True(refusing.IsCompleted, "the stale press waited for the incident's lock");
        Assert.Equal("This button is stale: INC-1 is Investigating now, not Declared.", (await refusing).Reply.Message.Text);
        Assert.False(waiting.IsCompleted);
        held.Dispose();
        var result = await waiting;
        Assert.StartsWith("Step 1 done: Confirm outage", result.Reply.Message.Text, StringComparison.Ordinal);
        Assert.Single(_core.Store.Find("INC-1")!.Steps);
    }

    [Fact]
    public async Task ARefusedCommandSavesAndPostsNothing()
    {
        await _core.RunAsync("/incident declare auth-outage sev1 Users cannot sign in");
        var entries = _core.Store.Timeline("INC-1").Count;
        var publications = _core.Surface.Publications.Count;

        var result = await _core.RunAsync("/incident resolve INC-1");

        Assert.Equal("INC-1 is Declared: acknowledge it before resolving.", result.Reply.Message.Text);
        Assert.Equal(MessageKind.Warning, result.Reply.Message.Kind);
        Assert.Equal(entries, _core.Store.Timeline("INC-1").Count);
        Assert.Equal(publications, _core.Surface.Publications.Count);
    }

    [Fact]
    public async Task EveryTransitionIsOnTheTimelineWithItsActorAndTime()
    {
        await _core.RunAsync("/incident declare auth-outage sev1 Users cannot sign in");
        _core.Time.Advance(TimeSpan.FromMinutes(4));
        await _core.RunAsync("/incident ack INC-1", who: "bob");
        _core.Time.Advance(TimeSpan.FromMinutes(10));
        await _core.RunAsync("/incident mitigate INC-1", who: "bob");

        var transitions = _core.Store.Timeline("INC-1").Where(e => e.Kind == EntryKind.Transition).ToList();
        Assert.Equal(
            [("bob", Some.Start.AddMinutes(4), "INC-1 is Investigating (acknowledged by bob)."), ("bob", Some.Start.AddMinutes(14), "INC-1 is Mitigating (mitigation started by bob).")],
            transitions.Select(t => (t.Actor, t.At, t.Text)).ToArray());
    }

    [Fact]
    public async Task SeverityCommanderAndAffectedUsersChangeTheCard()
    {
        await _core.RunAsync("/incident declare security sev2 Stolen sessions");

        await _core.RunAsync("/incident sev INC-1 1");
        await _core.RunAsync("/incident commander INC-1 <@U0ALICE|alice>");
        await _core.RunAsync("/incident affected INC-1 user_2abc, mallory@example.com user_2abc");

        var incident = _core.Store.Find("INC-1")!;
        Assert.Equal((Severity.Sev1, "alice"), (incident.Severity, incident.Commander));
        Assert.Equal(["user_2abc", "mallory@example.com"], incident.AffectedUsers);
        var card = _core.Surface.Publications.Last().Card;
        Assert.Contains(card.Fields, f => f.Label == "Affected users" && f.Value == "2");
        Assert.Contains(card.Fields, f => f.Label == "Commander" && f.Value == "@[alice]");
    }

    [Fact]
    public async Task AChoiceStepOffersItsBranchesAsButtons()
    {
        await _core.RunAsync("/incident declare auth-outage sev1 Users cannot sign in");
        await _core.RunAsync("/incident ack INC-1");
        for (var i = 0; i < 4; i++)
        {
            await _core.RunAsync("/incident step INC-1 done");
        }

        var choice = _core.Surface.Posts.Last();
        Assert.Equal("INC-1 · Step 5 of 11: Is this a Clerk outage or an application issue?", choice.Header);
        Assert.Equal(["Clerk outage", "Application issue"], choice.Buttons.Select(b => b.Label).ToArray());

        await _core.PressAsync(choice.Buttons[0].Action);

        Assert.Contains(_core.Surface.Posts, p => p.Header == "INC-1 · Step 6 of 11: Enable emergency bypass (if safe)");
    }

    [Fact]
    public async Task ChannelMessagesAreRecordedOnceEvenWhenDeliveredTwice()
    {
        await _core.RunAsync("/incident declare auth-outage sev1 Users cannot sign in");

        Assert.True(await _core.Incidents.RecordChannelMessageAsync("INC-1", "bob", "500s from /sign-in", Some.Start, "test:C1:1.0001", CancellationToken.None));
        Assert.False(await _core.Incidents.RecordChannelMessageAsync("INC-1", "bob", "500s from /sign-in", Some.Start, "test:C1:1.0001", CancellationToken.None));
        Assert.True(await _core.Incidents.EditChannelMessageAsync("INC-1", "bob", "test:C1:1.0001", "502s from /sign-in", Some.Start, CancellationToken.None));

        Assert.Single(_core.Store.Timeline("INC-1"), e => e.Kind == EntryKind.Message && e.Text == "502s from /sign-in");
    }

    [Fact]
    public async Task OnceAnIncidentHasEndedEditsAndDeletionsAreRecordedBesideTheOriginalNeverApplied()
    {
        await _core.RunAsync("/incident declare auth-outage sev1 Users cannot sign in");
        await _core.Incidents.RecordChannelMessageAsync("INC-1", "bob", "we rolled back at 17:02", Some.Start, "test:C1:1.0001", CancellationToken.None);
        await _core.Incidents.RecordChannelMessageAsync("INC-1", "bob", "root cause: expired key", Some.Start, "test:C1:1.0002", CancellationToken.None);
        var cancelled = await _core.RunAsync("/incident cancel INC-1 false alarm");
        Assert.True(_core.Store.Find("INC-1")!.IsFinished, cancelled.Reply.Message.Text);

        Assert.True(await _core.Incidents.EditChannelMessageAsync("INC-1", "bob", "test:C1:1.0001", "we never rolled back", Some.Start.AddHours(1), CancellationToken.None));
        Assert.True(await _core.Incidents.RemoveChannelMessageAsync("INC-1", "bob", "test:C1:1.0002", Some.Start.AddHours(1), CancellationToken.None));

        var messages = _core.Store.Timeline("INC-1").Where(e => e.Kind == EntryKind.Message).Select(e => e.Text).ToList();
        Assert.Contains("we rolled back at 17:02", messages);
        Assert.Contains("root cause: expired key", messages);
        Assert.Contains(messages, m => m.Contains("edited a message after the incident ended", StringComparison.Ordinal) && m.EndsWith("we never rolled back", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("deleted a message after the incident ended", StringComparison.Ordinal));
    }

    public void Dispose() => _core.Dispose();
}
