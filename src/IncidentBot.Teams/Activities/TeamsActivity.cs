using System.Text.Json.Nodes;

namespace IncidentBot.Teams.Activities;

/// <summary>An account in an activity: a user (29:...) or the bot (28:&lt;app id&gt;), with the Entra object id when Teams sends it.</summary>
public sealed record TeamsAccount(string Id, string? Name, string? AadObjectId);

/// <summary>
/// One inbound Bot Framework activity, read from its JSON (schema: tests/specs/teams/activity-schema). Only the
/// fields the bot uses have accessors; the JSON stays available for the rest.
/// </summary>
public sealed class TeamsActivity(JsonObject json)
{
    public const string TeamsChannel = "msteams";

    public JsonObject Json { get; } = json;

    public string Type => Str(Json["type"]) ?? "";

    public string? Id => Str(Json["id"]);

    public string? Name => Str(Json["name"]);

    public string? Action => Str(Json["action"]);

    public string Text => Str(Json["text"]) ?? "";

    public string? ChannelId => Str(Json["channelId"]);

    public string? ServiceUrl => Str(Json["serviceUrl"]);

    public string? ReplyToId => Str(Json["replyToId"]);

    public JsonNode? Value => Json["value"];

    public DateTimeOffset? Timestamp => Str(Json["timestamp"]) is { } t && DateTimeOffset.TryParse(t, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    public string ConversationId => Str(Json["conversation"]?["id"]) ?? "";

    /// <summary><c>personal</c>, <c>groupChat</c> or <c>channel</c>; older payloads only say isGroup.</summary>
    public string ConversationType => Str(Json["conversation"]?["conversationType"])
        ?? (Json["conversation"]?["isGroup"] is JsonValue g && g.TryGetValue<bool>(out var isGroup) && isGroup ? "groupChat" : "personal");

    public bool IsPersonal => ConversationType == "personal";

    public string? TenantId => Str(Json["conversation"]?["tenantId"]) ?? Str(Json["channelData"]?["tenant"]?["id"]);

    /// <summary>The channel (19:...@thread.tacv2) a channel message belongs to, without its thread part.</summary>
    public string? TeamsChannelId => Str(Json["channelData"]?["channel"]?["id"]) ?? Str(Json["channelData"]?["teamsChannelId"]);

    public string? TeamId => Str(Json["channelData"]?["team"]?["id"]) ?? Str(Json["channelData"]?["teamsTeamId"]);

    public string? EventType => Str(Json["channelData"]?["eventType"]);

    public TeamsAccount? From => Account(Json["from"]);

    public TeamsAccount? Recipient => Account(Json["recipient"]);

    public IEnumerable<TeamsAccount> MembersAdded => (Json["membersAdded"] as JsonArray ?? []).Select(Account).OfType<TeamsAccount>();

    public IEnumerable<JsonObject> Entities => (Json["entities"] as JsonArray ?? []).OfType<JsonObject>();

    public static TeamsActivity? Parse(ReadOnlySpan<byte> body)
    {
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize<JsonNode>(body) is JsonObject json ? new TeamsActivity(json) : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static TeamsAccount? Account(JsonNode? node) =>
        Str(node?["id"]) is { Length: > 0 } id ? new TeamsAccount(id, Str(node?["name"]), Str(node?["aadObjectId"])) : null;

    private static string? Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
