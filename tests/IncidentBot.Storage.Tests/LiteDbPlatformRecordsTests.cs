using LiteDB;

namespace IncidentBot.Storage.Tests;

/// <summary>An adapter's records (Teams' conversation references) are documents in the storage file: reopened, backed up, and refused when malformed.</summary>
public sealed class LiteDbPlatformRecordsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("records").FullName;

    private string File => Path.Combine(_folder, "incidentbot.db");

    [Fact]
    public async Task ARecordIsInTheStorageFileAfterReopeningAndInABackupMadeWithNoBotRunning()
    {
        using (var store = new LiteDbIncidentStore(File))
        {
            new LiteDbPlatformRecords(store).Save("teams_users", "29:bob", """{"AadObjectId":"aad-bob","Name":"Bob \"B\" ü","UpdatedAt":"2026-11-28T03:10:00+00:00","Gone":null}""");
        }

        using (var store = new LiteDbIncidentStore(File))
        {
            var records = new LiteDbPlatformRecords(store);
            var json = System.Text.Json.JsonDocument.Parse(records.Find("teams_users", "29:bob")!).RootElement;
            Assert.Equal(("aad-bob", "Bob \"B\" ü", "2026-11-28T03:10:00+00:00"), (json.GetProperty("AadObjectId").GetString(), json.GetProperty("Name").GetString(), json.GetProperty("UpdatedAt").GetString()));
            Assert.False(json.TryGetProperty("_id", out _));
            Assert.Null(records.Find("teams_users", "29:nobody"));
        }

        var backup = Path.Combine(_folder, "copy.db");
        await StorageBackup.RunAsync(File, backup, CancellationToken.None);
        using var copy = new LiteDatabase(new ConnectionString { Filename = backup, ReadOnly = true });
        Assert.Equal("aad-bob", copy.GetCollection("teams_users").FindById("29:bob")["AadObjectId"].AsString);
    }

    [Fact]
    public void SavingAgainReplacesAndDeleteRemoves()
    {
        using var store = new LiteDbIncidentStore(":memory:");
        var records = new LiteDbPlatformRecords(store);
        records.Save("teams_cards", "c|1", """{"Card":"one"}""");
        records.Save("teams_cards", "c|1", """{"Card":"two"}""");

        Assert.Equal("""{"Card":"two"}""", records.Find("teams_cards", "c|1"));
        Assert.True(records.Delete("teams_cards", "c|1"));
        Assert.False(records.Delete("teams_cards", "c|1"));
        Assert.Null(records.Find("teams_cards", "c|1"));
    }

    [Theory]
    [InlineData("incidents; drop", """{"a":1}""")]
    [InlineData("$system", """{"a":1}""")]
    [InlineData("teams_users", "[1,2]")]
    [InlineData("teams_users", "\"text\"")]
    public void AMalformedCollectionNameOrARecordThatIsNotAnObjectIsRefused(string collection, string json)
    {
        using var store = new LiteDbIncidentStore(":memory:");

        Assert.Throws<ArgumentException>(() => new LiteDbPlatformRecords(store).Save(collection, "id", json));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
