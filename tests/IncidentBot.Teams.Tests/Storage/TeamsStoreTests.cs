using IncidentBot.Teams.Storage;
using LiteDB;

namespace IncidentBot.Teams.Tests.Storage;

/// <summary>Conversation references survive a restart, and a later sighting of a person never forgets their 1:1 chat.</summary>
public sealed class TeamsStoreTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), "incidentbot-teams-tests", Guid.NewGuid().ToString("N"), "teams.db");

    [Fact]
    public void ReferencesAreStillThereAfterARestart()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_file)!);
        using (var store = Open())
        {
            store.Save(new UserRecord { Id = "29:bob", AadObjectId = "aad-bob", ServiceUrl = "https://smba.example/amer/t/", TenantId = "t", PersonalConversationId = "a:bob", UpdatedAt = DateTimeOffset.UnixEpoch });
            store.Save(new ConversationRecord { Id = "19:c@thread.tacv2", ConversationType = "channel", ServiceUrl = "https://smba.example/amer/t/", TenantId = "t" });
            store.SaveCard("19:c@thread.tacv2;messageid=1", "2", "{\"type\":\"AdaptiveCard\"}");
        }

        using (var store = Open())
        {
            Assert.Equal("a:bob", store.User("aad-bob")!.PersonalConversationId);
            Assert.Equal("channel", store.Conversation("19:c@thread.tacv2")!.ConversationType);
            Assert.Equal("{\"type\":\"AdaptiveCard\"}", store.Card("19:c@thread.tacv2;messageid=1", "2"));
        }
    }

    [Fact]
    public void SeeingSomeoneInAChannelKeepsTheirPersonalChat()
    {
        using var store = new TeamsStore(new LiteDatabase(":memory:"));
        store.Save(new UserRecord { Id = "29:bob", AadObjectId = "aad-bob", ServiceUrl = "https://a/", PersonalConversationId = "a:bob" });

        store.Save(new UserRecord { Id = "29:bob", ServiceUrl = "https://b/" });

        var bob = store.User("29:bob")!;
        Assert.Equal(("a:bob", "aad-bob", "https://b/"), (bob.PersonalConversationId, bob.AadObjectId, bob.ServiceUrl));
    }

    public void Dispose()
    {
        if (Directory.Exists(Path.GetDirectoryName(_file)))
        {
            Directory.Delete(Path.GetDirectoryName(_file)!, recursive: true);
        }
    }

    private TeamsStore Open() => new(new LiteDatabase(new ConnectionString { Filename = _file }));
}
