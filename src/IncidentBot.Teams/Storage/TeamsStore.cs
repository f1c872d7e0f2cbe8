using System.Text.Json;
using IncidentBot.Core;

namespace IncidentBot.Teams.Storage;

/// <summary>Where a conversation is reached: stored from installs and messages, so the bot can write first.</summary>
public sealed class ConversationRecord
{
    /// <summary>The conversation id without a thread part (a channel, a group chat, a 1:1 chat).</summary>
    public string Id { get; set; } = "";

    public string ConversationType { get; set; } = "";

    public string ServiceUrl { get; set; } = "";

    public string? TenantId { get; set; }

    public string? TeamId { get; set; }

    public string? Name { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A Teams user the bot has seen (installed the app, wrote, was added to a team with it): enough to open a 1:1 chat.</summary>
public sealed class UserRecord
{
    /// <summary>The user's Teams id for this bot (29:...).</summary>
    public string Id { get; set; } = "";

    public string? AadObjectId { get; set; }

    public string? Name { get; set; }

    public string ServiceUrl { get; set; } = "";

    public string? TenantId { get; set; }

    /// <summary>The 1:1 chat with the bot (a:...), once known (personal install, a message, or one the bot opened).</summary>
    public string? PersonalConversationId { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A card the bot posted with buttons: what it looked like, so a press can answer with the same card showing its outcome.</summary>
public sealed class CardRecord
{
    /// <summary>conversation id + "|" + activity id.</summary>
    public string Id { get; set; } = "";

    public string Card { get; set; } = "";
}

/// <summary>
/// Conversation references, users and posted cards, as collections of the storage file (<see cref="IPlatformRecords"/>):
/// teams_conversations, teams_users (with teams_user_aad from Entra object id to user), teams_cards.
/// </summary>
public sealed class TeamsStore(IPlatformRecords records)
{
    private const string Conversations = "teams_conversations";
    private const string Users = "teams_users";
    private const string UsersByAad = "teams_user_aad";
    private const string Cards = "teams_cards";

    // A sighting merges with what is stored: two at once (a message and a press) must not drop each other's fields.
    private readonly Lock _userMerge = new();

    public void Save(ConversationRecord conversation) => Put(Conversations, conversation.Id, conversation);

    public ConversationRecord? Conversation(string id) => Get<ConversationRecord>(Conversations, id);

    public void Forget(string conversationId) => records.Delete(Conversations, conversationId);

    /// <summary>Saves what is known of a user, keeping their 1:1 chat when this sighting doesn't name one.</summary>
    public void Save(UserRecord user)
    {
        lock (_userMerge)
        {
            var known = Get<UserRecord>(Users, user.Id);
            user.PersonalConversationId ??= known?.PersonalConversationId;
            user.AadObjectId ??= known?.AadObjectId;
            user.Name ??= known?.Name;
            Put(Users, user.Id, user);
            if (user.AadObjectId is { Length: > 0 } aad)
            {
                Put(UsersByAad, aad, new AadRecord { UserId = user.Id });
            }
        }
    }

    /// <summary>A user by their 29: id or their Entra object id.</summary>
    public UserRecord? User(string idOrAadObjectId) =>
        Get<UserRecord>(Users, idOrAadObjectId)
        ?? (Get<AadRecord>(UsersByAad, idOrAadObjectId) is { } alias ? Get<UserRecord>(Users, alias.UserId) : null);

    public void SaveCard(string conversationId, string activityId, string card) =>
        Put(Cards, CardKey(conversationId, activityId), new CardRecord { Id = CardKey(conversationId, activityId), Card = card });

    public string? Card(string conversationId, string activityId) => Get<CardRecord>(Cards, CardKey(conversationId, activityId))?.Card;

    private static string CardKey(string conversationId, string activityId) => conversationId + "|" + activityId;

    private void Put<T>(string collection, string id, T record) => records.Save(collection, id, JsonSerializer.Serialize(record));

    private T? Get<T>(string collection, string id)
        where T : class =>
        records.Find(collection, id) is { } json ? JsonSerializer.Deserialize<T>(json) : null;

    private sealed class AadRecord
    {
        public string UserId { get; set; } = "";
    }
}
