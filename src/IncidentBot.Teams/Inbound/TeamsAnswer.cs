using System.Text.Json.Nodes;

namespace IncidentBot.Teams.Inbound;

/// <summary>
/// What /api/messages answers: 200 and nothing for ordinary activities; for an invoke, 200 with the invoke response
/// (<c>{statusCode, type, value}</c>); 501 for an invoke the bot doesn't handle (as the Bot Framework SDKs answer).
/// </summary>
public sealed record TeamsAnswer(int Status, JsonObject? Body = null)
{
    public const string CardType = "application/vnd.microsoft.card.adaptive";
    public const string MessageType = "application/vnd.microsoft.activity.message";
    public const string ErrorType = "application/vnd.microsoft.error";

    public static readonly TeamsAnswer Ok = new(200);

    public static readonly TeamsAnswer NotImplemented = new(501);

    /// <summary>The card replaces the pressed one for the presser at once.</summary>
    public static TeamsAnswer Card(JsonObject card) => Invoke(200, CardType, card);

    /// <summary>Teams shows the text to the presser; the card stays as it was.</summary>
    public static TeamsAnswer Message(string text) => Invoke(200, MessageType, JsonValue.Create(text));

    public static TeamsAnswer Error(int statusCode, string message) =>
        Invoke(statusCode, ErrorType, new JsonObject { ["code"] = statusCode == 400 ? "BadRequest" : "InternalError", ["message"] = message });

    private static TeamsAnswer Invoke(int statusCode, string type, JsonNode? value) =>
        new(200, new JsonObject { ["statusCode"] = statusCode, ["type"] = type, ["value"] = value });
}
