using IncidentBot.Core.Incidents;
using IncidentBot.Core.Timeline;
using IncidentBot.Storage;

namespace IncidentBot.Storage.Tests;

public sealed class LiteDbIncidentStoreTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 11, 28, 3, 0, 0, TimeSpan.Zero);
    private readonly string _file = Path.Combine(Directory.CreateTempSubdirectory("store").FullName, "incidentbot.db");

    [Fact]
    public void AnIncidentComesBackExactlyAsItWasSavedAfterTheFileIsReopened()
    {
        var incident = new Incident
        {
            Id = "INC-1",
            Number = 1,
            Title = "Users cannot sign in",
            Category = "auth-outage",
            RunbookId = "auth-outage-response",
            Severity = Severity.Sev2,
            Declarer = "alice",
            Commander = "bob",
            DeclaredAt = At,
            AffectedUsers = ["user_1", "a@example.com"],
            Choices = { ["outage-or-app"] = "app-issue" },
            Notes = [new Note { Kind = "root-cause", Text = "expired key", By = "bob", At = At.AddMinutes(5) }],
            Rooms = [new Room { Platform = "slack", ChannelId = "C1", ChannelName = "inc-1", CardMessageId = "1.0001" }],
        };
        incident.Acknowledge("bob", At.AddMinutes(2));
        incident.CompleteStep(Runbook(), "bob", At.AddMinutes(3));

        using (var store = new LiteDbIncidentStore(_file))
        {
            store.Commit(incident, [new TimelineEntry { IncidentId = "INC-1", At = At, Actor = "alice", Kind = EntryKind.Declared, Text = "Declared" }]);
        }

        using var reopened = new LiteDbIncidentStore(_file);
        var loaded = reopened.Find("inc-1")!;
        Assert.Equal(
            (incident.Title, incident.State, incident.Severity, incident.Commander, incident.DeclaredAt),
            (loaded.Title, loaded.State, loaded.Severity, loaded.Commander, loaded.DeclaredAt));
        Assert.Equal(incident.AffectedUsers, loaded.AffectedUsers);
        Assert.Equal("app-issue", loaded.Choices["outage-or-app"]);
        Assert.Equal(("Declared", "Investigating", "bob", At.AddMinutes(2)), (loaded.Transitions[0].From.ToString(), loaded.Transitions[0].To.ToString(), loaded.Transitions[0].By, loaded.Transitions[0].At));
        Assert.Equal(("step-1", At.AddMinutes(3)), (loaded.Steps[0].StepId, loaded.Steps[0].At));
        Assert.Equal("expired key", loaded.Notes.Single().Text);
        Assert.Equal("1.0001", loaded.RoomOn("slack")!.CardMessageId);
        Assert.Equal("Declared", reopened.Timeline("INC-1").Single().Text);
        Assert.True(loaded.Resolve("bob", At.AddMinutes(9)).Succeeded);
    }

    [Fact]
    public void TheOpenListHoldsEveryOpenIncidentAndNoEndedOneAsStatesChangeAndAfterReopening()
    {
        Incident New(int n) => new() { Id = $"INC-{n}", Number = n, Title = $"t{n}", Category = "auth-outage", RunbookId = "auth-outage-response", Declarer = "alice", DeclaredAt = At };
        var declared = New(1);
        var acknowledged = New(2);
        acknowledged.Acknowledge("bob", At);
        var resolved = New(3);
        Assert.True(resolved.Acknowledge("bob", At).Succeeded && resolved.Resolve("bob", At).Succeeded);
        var closed = New(4);
        Assert.True(closed.Acknowledge("bob", At).Succeeded && closed.Resolve("bob", At).Succeeded && closed.Close("bob", At).Succeeded);
        var cancelled = New(5);
        Assert.True(cancelled.Cancel("false alarm", "bob", At).Succeeded);
        using (var store = new LiteDbIncidentStore(_file))
        {
            foreach (var incident in new[] { declared, acknowledged, resolved, closed, cancelled })
            {
                store.Commit(incident, []);
            }

            Assert.Equal(["INC-1", "INC-2"], store.List(openOnly: true).Select(i => i.Id));
            Assert.True(declared.Acknowledge("bob", At).Succeeded && declared.Resolve("bob", At.AddMinutes(1)).Succeeded); // leaves the open list
            Assert.True(resolved.Reopen("bob", At.AddMinutes(1)).Succeeded); // comes back to it
            store.Commit(declared, []);
            store.Commit(resolved, []);
            Assert.Equal(["INC-2", "INC-3"], store.List(openOnly: true).Select(i => i.Id));
        }

        using var reopened = new LiteDbIncidentStore(_file);
        Assert.Equal(["INC-2", "INC-3"], reopened.List(openOnly: true).Select(i => i.Id));
        Assert.Equal(5, reopened.List(openOnly: false).Count);
    }

    [Fact]
    public void NumbersAreNeverHandedOutTwiceAcrossRestarts()
    {
        using (var store = new LiteDbIncidentStore(_file))
        {
            Assert.Equal([1, 2], new[] { store.NextNumber(), store.NextNumber() });
        }

        using var reopened = new LiteDbIncidentStore(_file);
        Assert.Equal(3, reopened.NextNumber());
    }

    [Fact]
    public void NumbersAreUniqueUnderConcurrency()
    {
        using var store = new LiteDbIncidentStore(":memory:");

        var numbers = Enumerable.Range(0, 50).AsParallel().Select(_ => store.NextNumber()).ToList();

        Assert.Equal(Enumerable.Range(1, 50), numbers.Order());
    }

    [Fact]
    public void ChatMessagesCanBeFoundEditedAndRemovedBySourceReference()
    {
        using var store = new LiteDbIncidentStore(":memory:");
        store.Append(new TimelineEntry { IncidentId = "INC-1", At = At, Actor = "bob", Kind = EntryKind.Message, Text = "first", SourceRef = "slack:C1:1.1" });

        Assert.True(store.HasEntry("slack:C1:1.1"));
        Assert.True(store.ReplaceEntryText("slack:C1:1.1", "edited"));
        Assert.Equal("edited", store.Timeline("INC-1").Single().Text);
        Assert.True(store.RemoveEntry("slack:C1:1.1"));
        Assert.False(store.RemoveEntry("slack:C1:1.1"));
        Assert.Empty(store.Timeline("INC-1"));
    }

    [Fact]
    public void TheIncidentOfAChannelIsTheNewestOpenOneThere()
    {
        using var store = new LiteDbIncidentStore(":memory:");
        store.Commit(new Incident { Id = "INC-1", Number = 1, State = IncidentState.Closed, Rooms = [new Room { Platform = "slack", ChannelId = "C1" }] }, []);
        store.Commit(new Incident { Id = "INC-2", Number = 2, Rooms = [new Room { Platform = "slack", ChannelId = "C1" }] }, []);
        store.Commit(new Incident { Id = "INC-3", Number = 3, Rooms = [new Room { Platform = "teams", ChannelId = "C1" }] }, []);

        Assert.Equal("INC-2", store.FindByChannel("slack", "C1")!.Id);
        Assert.Null(store.FindByChannel("slack", "C2"));
    }

    [Fact]
    public void TheAuditLogKeepsEntriesInTheOrderTheyWereWritten()
    {
        using var store = new LiteDbIncidentStore(":memory:");
        foreach (var e in new[] { "requested", "approved", "request", "result" })
        {
            store.AppendAudit(new AuditEntry { IncidentId = "INC-1", At = At, Actor = "bob", Event = e, Action = "clerk.ban" });
        }

        Assert.Equal(["requested", "approved", "request", "result"], store.Audit("INC-1").Select(a => a.Event).ToArray());
    }

    private static IncidentBot.Core.Runbooks.Runbook Runbook() => new()
    {
        Id = "r",
        Category = "c",
        Title = "R",
        SourceFile = "r.yaml",
        Steps = [new IncidentBot.Core.Runbooks.RunbookStep { Id = "step-1", Kind = IncidentBot.Core.Runbooks.StepKind.Manual, Title = "One" }],
    };

    public void Dispose() => File.Delete(_file);
}
