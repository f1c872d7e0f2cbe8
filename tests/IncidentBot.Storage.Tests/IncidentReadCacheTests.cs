using IncidentBot.Core.Incidents;
using IncidentBot.Core.Timeline;
using IncidentBot.Storage;

namespace IncidentBot.Storage.Tests;

/// <summary>
/// The store keeps recently read incident documents in memory (a button's guard, a command in the incident's channel
/// read them often): what a read gives must still be exactly the last committed incident, a new object every time.
/// </summary>
public sealed class IncidentReadCacheTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 12, 2, 3, 0, 0, TimeSpan.Zero);
    private readonly string _file = Path.Combine(Directory.CreateTempSubdirectory("cache").FullName, "incidentbot.db");

    [Fact]
    public void AReadAfterACommitSeesTheCommittedChange()
    {
        using var store = new LiteDbIncidentStore(_file);
        store.Commit(Incident(1, "Users cannot sign in"), []);
        Assert.Equal("Users cannot sign in", store.Find("INC-1")!.Title); // read, so now kept in memory

        var changed = store.Find("INC-1")!;
        changed.Title = "Sign-in fails for SSO users";
        changed.Acknowledge("bob", At.AddMinutes(2));
        store.Commit(changed, []);

        var read = store.Find("inc-1")!;
        Assert.Equal(("Sign-in fails for SSO users", IncidentState.Investigating), (read.Title, read.State));
        Assert.Equal([IncidentState.Investigating], store.List(openOnly: true).Select(i => i.State));
        Assert.Equal(IncidentState.Investigating, store.StateOf("INC-1"));
        Assert.Null(store.StateOf("INC-2"));
    }

    [Fact]
    public void EveryReadIsANewObjectSoAChangeNotCommittedIsNotSeenByTheNextRead()
    {
        using var store = new LiteDbIncidentStore(_file);
        store.Commit(Incident(1, "Users cannot sign in"), []);

        var first = store.Find("INC-1")!;
        first.Title = "changed in memory only";
        first.Notes.Add(new Note { Kind = "note", Text = "never committed", By = "mallory", At = At });

        var second = store.Find("INC-1")!;
        Assert.NotSame(first, second);
        Assert.Equal("Users cannot sign in", second.Title);
        Assert.Empty(second.Notes);
    }

    [Fact]
    public void ACommitThatFailsLeavesTheLastCommittedIncidentToRead()
    {
        using var store = new LiteDbIncidentStore(_file);
        var entry = new TimelineEntry { IncidentId = "INC-1", At = At, Actor = "alice", Kind = EntryKind.Declared, Text = "Declared" };
        store.Commit(Incident(1, "Users cannot sign in"), [entry]);
        Assert.Equal("Users cannot sign in", store.Find("INC-1")!.Title);

        var changed = store.Find("INC-1")!;
        changed.Title = "lost with its transaction";
        var again = new TimelineEntry { Id = entry.Id, IncidentId = "INC-1", At = At, Actor = "alice", Kind = EntryKind.Note, Text = "same id" };
        Assert.ThrowsAny<Exception>(() => store.Commit(changed, [again]));

        Assert.Equal("Users cannot sign in", store.Find("INC-1")!.Title);
        Assert.Equal(["Declared"], store.Timeline("INC-1").Select(e => e.Text));
    }

    [Fact]
    public void AReadGivesWhatTheFileGivesAfterARestartToTheMillisecond()
    {
        var incident = Incident(1, "Users cannot sign in");
        incident.DeclaredAt = At.AddTicks(1_234_567); // finer than LiteDB keeps
        DateTimeOffset running;
        using (var store = new LiteDbIncidentStore(_file))
        {
            store.Commit(incident, []);
            running = store.Find("INC-1")!.DeclaredAt;
            Assert.Equal(running, store.Find("INC-1")!.DeclaredAt);
        }

        using var reopened = new LiteDbIncidentStore(_file);
        Assert.Equal(running, reopened.Find("INC-1")!.DeclaredAt);
        Assert.Equal(At.AddMilliseconds(123), running);
    }

    [Fact]
    public void AnUnknownIdIsNoneAndIsNotRemembered()
    {
        using var store = new LiteDbIncidentStore(_file);
        Assert.Null(store.Find("INC-7"));
        store.Commit(Incident(7, "Declared after it was asked for"), []);
        Assert.Equal("Declared after it was asked for", store.Find("INC-7")!.Title);
    }

    [Fact]
    public void ManyIncidentsReadInTurnAreEachTheirOwn()
    {
        using var store = new LiteDbIncidentStore(_file);
        for (var n = 1; n <= 600; n++)
        {
            store.Commit(Incident(n, $"incident {n}"), []);
        }

        // More than the store keeps in memory: every read, in any order, still gives its own incident.
        for (var round = 0; round < 2; round++)
        {
            for (var n = 600; n >= 1; n -= 7)
            {
                Assert.Equal($"incident {n}", store.Find($"INC-{n}")!.Title);
            }
        }
    }

    private static Incident Incident(int number, string title) => new()
    {
        Id = $"INC-{number}",
        Number = number,
        Title = title,
        Category = "auth-outage",
        RunbookId = "auth-outage-response",
        Severity = Severity.Sev2,
        Declarer = "alice",
        DeclaredAt = At,
    };

    public void Dispose() => File.Delete(_file);
}
