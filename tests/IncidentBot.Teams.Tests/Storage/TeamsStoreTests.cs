using IncidentBot.Storage;
using IncidentBot.Teams.Storage;
using IncidentBot.Teams.Tests.Support;

namespace IncidentBot.Teams.Tests.Storage;

/// <summary>Conversation references live in the storage file: they survive reopening it, and a later sighting of a person never forgets their 1:1 chat.</summary>
public sealed class TeamsStoreTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("incidentbot-teams-store").FullName;

    private string File => Path.Combine(_folder, "incidentbot.db");

    [Fact]
    public void ReferencesAndCardsAreStillInTheStorageFileWhenItIsOpenedAgain()
    {
        const string card = "{\"type\":\"AdaptiveCard\",\"body\":[{\"type\":\"TextBlock\",\"text\":\"<at>bob</at> & \\\"ops\\\" · ünïcode\"}]}";
        using (var file = new LiteDbIncidentStore(File))
        {
            var store = new TeamsStore(new LiteDbPlatformRecords(file));
            store.Save(new UserRecord { Id = "29:bob", AadObjectId = "aad-bob", ServiceUrl = "https://smba.example/amer/t/", TenantId = "t", PersonalConversationId = "a:bob", UpdatedAt = Some.Now });
            store.Save(new ConversationRecord { Id = "19:c@thread.tacv2", ConversationType = "channel", ServiceUrl = "https://smba.example/amer/t/", TenantId = "t", UpdatedAt = Some.Now });
            store.SaveCard("19:c@thread.tacv2;messageid=1", "2", card);
        }

        using (var file = new LiteDbIncidentStore(File))
        {
            var store = new TeamsStore(new LiteDbPlatformRecords(file));
            var bob = store.User("aad-bob")!;
            Assert.Equal(("29:bob", "a:bob", "https://smba.example/amer/t/", Some.Now), (bob.Id, bob.PersonalConversationId, bob.ServiceUrl, bob.UpdatedAt));
            Assert.Equal("channel", store.Conversation("19:c@thread.tacv2")!.ConversationType);
            Assert.Equal(card, store.Card("19:c@thread.tacv2;messageid=1", "2"));
            Assert.Null(store.User("aad-nobody"));
        }
    }

    [Fact]
    public void SeeingSomeoneInAChannelKeepsTheirPersonalChat()
    {
        using var file = new LiteDbIncidentStore(":memory:");
        var store = new TeamsStore(new LiteDbPlatformRecords(file));
        store.Save(new UserRecord { Id = "29:bob", AadObjectId = "aad-bob", ServiceUrl = "https://a/", PersonalConversationId = "a:bob" });

        store.Save(new UserRecord { Id = "29:bob", ServiceUrl = "https://b/" });

        var bob = store.User("29:bob")!;
        Assert.Equal(("a:bob", "aad-bob", "https://b/"), (bob.PersonalConversationId, bob.AadObjectId, bob.ServiceUrl));
    }

    [Fact]
    public void AForgottenConversationIsGone()
    {
        using var file = new LiteDbIncidentStore(":memory:");
        var store = new TeamsStore(new LiteDbPlatformRecords(file));
        store.Save(new ConversationRecord { Id = "19:c@thread.tacv2", ConversationType = "channel", ServiceUrl = "https://a/" });

        store.Forget("19:c@thread.tacv2");

        Assert.Null(store.Conversation("19:c@thread.tacv2"));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
