using LiteDB;

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
/// Conversation references, users and posted cards, in LiteDB (plain document classes, as LiteDB 5 maps them reliably).
/// </summary>
public sealed class TeamsStore(LiteDatabase db) : IDisposable
{
    private readonly ILiteCollection<ConversationRecord> _conversations = db.GetCollection<ConversationRecord>("teams_conversations");
    private readonly ILiteCollection<UserRecord> _users = Users(db);
    private readonly ILiteCollection<CardRecord> _cards = db.GetCollection<CardRecord>("teams_cards");

    public void Save(ConversationRecord conversation) => _conversations.Upsert(conversation);

    public ConversationRecord? Conversation(string id) => _conversations.FindById(id);

    public void Forget(string conversationId) => _conversations.Delete(conversationId);

    /// <summary>Saves what is known of a user, keeping their 1:1 chat when this sighting doesn't name one.</summary>
    public void Save(UserRecord user)
    {
        var known = _users.FindById(user.Id);
        user.PersonalConversationId ??= known?.PersonalConversationId;
        user.AadObjectId ??= known?.AadObjectId;
        user.Name ??= known?.Name;
        _users.Upsert(user);
    }

    /// <summary>A user by their 29: id or their Entra object id.</summary>
    public UserRecord? User(string idOrAadObjectId) =>
        _users.FindById(idOrAadObjectId) ?? _users.FindOne(u => u.AadObjectId == idOrAadObjectId);

    public void SaveCard(string conversationId, string activityId, string card) =>
        _cards.Upsert(new CardRecord { Id = CardKey(conversationId, activityId), Card = card });

    public string? Card(string conversationId, string activityId) => _cards.FindById(CardKey(conversationId, activityId))?.Card;

    public void Dispose() => db.Dispose();

    private static string CardKey(string conversationId, string activityId) => conversationId + "|" + activityId;

    private static ILiteCollection<UserRecord> Users(LiteDatabase db)
    {
        var users = db.GetCollection<UserRecord>("teams_users");
        users.EnsureIndex(u => u.AadObjectId);
        return users;
    }
}
