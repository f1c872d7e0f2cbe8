using System.Net;
using IncidentBot.Storage;
using IncidentBot.Teams.Tests.Support;
using LiteDB;

namespace IncidentBot.Teams.Tests.Storage;

/// <summary>
/// Teams' conversation references are collections of the one storage file: a person who only installed the app is
/// paged after the bot restarts on the same file, and <c>incidentbot backup</c> carries the references.
/// </summary>
public sealed class ReferencesInTheStorageFileTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("incidentbot-teams-file").FullName;
    private TokenIssuer _issuer = null!;
    private ConnectorEmulator _connector = null!;

    private string Database => Path.Combine(_folder, "incidentbot.db");

    public async Task InitializeAsync()
    {
        _issuer = await TokenIssuer.StartAsync();
        _connector = await ConnectorEmulator.StartAsync();
    }

    [Fact]
    public async Task APersonWhoOnlyInstalledTheAppIsPagedAfterARestartOnTheSameFileAndTheBackupHoldsTheirReference()
    {
        // First run: bob installs the app for himself and never writes; alice adds it to the team.
        await using (var first = await StartAsync())
        {
            Assert.Equal(HttpStatusCode.OK, (await first.PostAsync(Incoming.InstalledPersonally(_connector, Some.Bob))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await first.PostAsync(Incoming.AddedToTeam(_connector, Some.Alice))).StatusCode);
        }

        Assert.Equal(["incidentbot.db", "incidentbot.db.lock"], Directory.GetFiles(_folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        // Second run on the same file: a sev1 nobody acknowledges pages bob after 15 minutes, in his 1:1 chat.
        await using var second = await StartAsync();
        await second.PostAsync(Incoming.ChannelMention(_connector, "declare auth-outage sev1 Users cannot sign in", Some.Alice));
        await second.SettleAsync();
        Assert.DoesNotContain(_connector.CallsTo("Conversations_SendToConversation"), c => c.ConversationId == Incoming.PersonalChat(Some.Bob));
        second.Time.Advance(TimeSpan.FromMinutes(15));
        await _connector.WhenAsync(c => c.CallsTo("Conversations_SendToConversation").Any(p => p.ConversationId == Incoming.PersonalChat(Some.Bob)), "bob's page");
        var page = _connector.CallsTo("Conversations_SendToConversation").Single(p => p.ConversationId == Incoming.PersonalChat(Some.Bob));
        Assert.Contains("You are paged for INC-1", page.Said, StringComparison.Ordinal);
        Assert.Empty(_connector.Violations);

        // An online backup (the running bot copies the file) holds the reference collections.
        var backup = Path.Combine(_folder, "backup", "copy.db");
        Assert.Contains("Backed up 1 incidents", await StorageBackup.RunAsync(Database, backup, CancellationToken.None), StringComparison.Ordinal);
        using var copy = new LiteDatabase(new ConnectionString { Filename = backup, ReadOnly = true });
        var bob = copy.GetCollection("teams_users").FindById(Some.Bob.Mri);
        Assert.Equal((Some.Bob.Aad, Incoming.PersonalChat(Some.Bob)), (bob["AadObjectId"].AsString, bob["PersonalConversationId"].AsString));
        Assert.Equal("channel", copy.GetCollection("teams_conversations").FindById(Some.Channel)["ConversationType"].AsString);
    }

    public async Task DisposeAsync()
    {
        await _connector.DisposeAsync();
        await _issuer.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private Task<TestBot> StartAsync() => TestBot.StartAsync(_issuer, _connector, new() { ["Storage:Path"] = Database });
}
