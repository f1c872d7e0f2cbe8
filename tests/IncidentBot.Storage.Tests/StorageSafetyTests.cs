using IncidentBot.Core.Incidents;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Storage.Tests;

/// <summary>One store per file, damaged files refused by name, numbering never reset, and a backup that holds everything.</summary>
public sealed class StorageSafetyTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 11, 28, 3, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("store").FullName;

    private string File(string name) => Path.Combine(_dir, name);

    [Fact]
    public void ASecondStoreOnTheSameFileIsRefusedAndTheFirstKeepsWorking()
    {
        using var first = new LiteDbIncidentStore(File("incidentbot.db"));

        var e = Assert.Throws<StorageException>(() => new LiteDbIncidentStore(File("incidentbot.db")));

        Assert.Contains($"Storage:Path {File("incidentbot.db")} is already open in this process (pid {Environment.ProcessId})", e.Message);
        Assert.Equal(1, first.NextNumber());
    }

    [Fact]
    public void TheLockIsGivenBackWhenTheStoreCloses()
    {
        using (var first = new LiteDbIncidentStore(File("incidentbot.db")))
        {
            first.NextNumber();
        }

        using var second = new LiteDbIncidentStore(File("incidentbot.db"));
        Assert.Equal(2, second.NextNumber());
        Assert.Equal($"{Environment.ProcessId}", System.IO.File.ReadAllText(StorageLock.PathFor(File("incidentbot.db"))).Trim());
    }

    [Fact]
    public void AnEmptyFileIsRefusedByNameAndLeftAsItWas()
    {
        System.IO.File.WriteAllBytes(File("incidentbot.db"), []);

        var e = Assert.Throws<StorageException>(() => new LiteDbIncidentStore(File("incidentbot.db")));

        Assert.Equal($"Storage:Path {File("incidentbot.db")} is empty (0 bytes), not a LiteDB file; restore it from a backup, or move it away to start a new store", e.Message);
        Assert.Equal(0, new FileInfo(File("incidentbot.db")).Length);
        using var afterwards = new LiteDbIncidentStore(File("other.db")); // the lock was given back too
    }

    [Fact]
    public void ATextFileIsRefusedByName()
    {
        System.IO.File.WriteAllText(File("incidentbot.db"), "Storage:\n  Path: data/incidentbot.db\n");

        var e = Assert.Throws<StorageException>(() => new LiteDbIncidentStore(File("incidentbot.db")));

        Assert.StartsWith($"Storage:Path {File("incidentbot.db")} is not a LiteDB file", e.Message);
    }

    [Fact]
    public void ADamagedFileIsRefusedByNameWithoutAStackOfDetail()
    {
        using (var store = new LiteDbIncidentStore(File("incidentbot.db")))
        {
            Save(store, 3);
        }

        using (var file = new FileStream(File("incidentbot.db"), FileMode.Open))
        {
            file.Position = 8192; // past the header page: the collections' pages
            file.Write(Enumerable.Repeat((byte)0xEE, 16384).ToArray());
        }

        var e = Assert.Throws<StorageException>(() => new LiteDbIncidentStore(File("incidentbot.db")));

        Assert.StartsWith($"Storage:Path {File("incidentbot.db")} can't be opened, it may be damaged", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void NumberingContinuesAfterTheHighestIncidentEvenIfTheCounterWasLost()
    {
        using (var store = new LiteDbIncidentStore(File("incidentbot.db")))
        {
            Save(store, 4);
        }

        using (var db = new LiteDB.LiteDatabase(File("incidentbot.db")))
        {
            db.GetCollection("counters").DeleteAll();
        }

        using var reopened = new LiteDbIncidentStore(File("incidentbot.db"));
        Assert.Equal(5, reopened.NextNumber());
    }

    [Fact]
    public async Task ABackupTakenWhileIncidentsAreBeingWrittenOpensWithEveryIncidentCommittedBeforeIt()
    {
        using var store = new LiteDbIncidentStore(File("incidentbot.db"));
        Save(store, 50);
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                Save(store, 1);
            }
        });

        var before = store.Count;
        var backedUp = store.BackupTo(File("backup/incidentbot.db"));
        await stop.CancelAsync();
        await writer;

        Assert.True(backedUp >= before, $"{backedUp} < {before}");
        using var copy = new LiteDbIncidentStore(File("backup/incidentbot.db"));
        Assert.Equal(backedUp, copy.List(openOnly: false).Count);
        Assert.All(copy.List(openOnly: false), i => Assert.Equal(i.Title, Assert.Single(copy.Timeline(i.Id)).Text)); // each incident with its entry
        Assert.True(copy.NextNumber() > copy.List(openOnly: false).Max(i => i.Number)); // a number taken before the copy is never handed out again
    }

    private static void Save(LiteDbIncidentStore store, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var number = store.NextNumber();
            var incident = new Incident { Id = $"INC-{number}", Number = number, Title = $"Incident {number}", Category = "auth-outage", Severity = Severity.Sev2, Declarer = "alice", DeclaredAt = At };
            store.Commit(incident, [new TimelineEntry { IncidentId = incident.Id, At = At, Actor = "alice", Kind = EntryKind.Declared, Text = incident.Title }]);
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
