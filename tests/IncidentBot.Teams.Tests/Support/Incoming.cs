using System.Text.Json.Nodes;
using IncidentBot.Teams.Views;

namespace IncidentBot.Teams.Tests.Support;

/// <summary>
/// Inbound activities built from the real captured ones (tests/specs/teams/samples), re-addressed to the test's
/// Connector emulator, bot and people.
/// </summary>
public static class Incoming
{
    private static int _next = 1;

    public static JsonObject For((string Name, string Role, string Aad, string Mri) person) =>
        new() { ["id"] = person.Mri, ["name"] = person.Name + " (Teams)", ["aadObjectId"] = person.Aad };

    /// <summary>A channel message mentioning the bot: <c>&lt;at&gt;IncidentBot&lt;/at&gt; {command}</c>, in <paramref name="conversationId"/> (default a new post in the channel).</summary>
    public static JsonObject ChannelMention(ConnectorEmulator connector, string command, (string Name, string Role, string Aad, string Mri) from, string? conversationId = null)
    {
        var activity = Specs.Sample("inbound-message-channel-mention.json");
        var id = NextId();
        activity["id"] = id;
        activity["serviceUrl"] = connector.ServiceUrl;
        activity["recipient"] = new JsonObject { ["id"] = Some.BotId, ["name"] = "IncidentBot" };
        activity["from"] = For(from);
        activity["conversation"]!["id"] = conversationId ?? $"{Some.Channel};messageid={id}";
        activity["text"] = $"<at>IncidentBot</at> {command}";
        activity["entities"]![0]!["mentioned"] = new JsonObject { ["id"] = Some.BotId, ["name"] = "IncidentBot" };
        activity["entities"]![0]!["text"] = "<at>IncidentBot</at>";
        activity["attachments"] = new JsonArray();
        activity["timestamp"] = "2026-11-28T03:10:00.000Z";
        return activity;
    }

    /// <summary>The same real message without the mention: a message every member sees (the bot hears it with ChannelMessage.Read.Group).</summary>
    public static JsonObject ChannelMessage(ConnectorEmulator connector, string text, (string Name, string Role, string Aad, string Mri) from, string conversationId)
    {
        var activity = ChannelMention(connector, "", from, conversationId);
        activity["text"] = text;
        activity["entities"] = new JsonArray();
        return activity;
    }

    /// <summary>A message in the person's 1:1 chat with the bot (no mention).</summary>
    public static JsonObject Personal(ConnectorEmulator connector, string text, (string Name, string Role, string Aad, string Mri) from)
    {
        var activity = ChannelMention(connector, "", from, PersonalChat(from));
        activity["text"] = text;
        activity["entities"] = new JsonArray();
        activity["conversation"] = new JsonObject { ["id"] = PersonalChat(from), ["conversationType"] = "personal", ["tenantId"] = Some.TenantId };
        activity["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = Some.TenantId } };
        return activity;
    }

    public static string PersonalChat((string Name, string Role, string Aad, string Mri) person) => "a:personal-" + person.Name;

    /// <summary>The real Action.Execute invoke, pressing <paramref name="action"/> (an Action.Execute from a card the bot sent) on message <paramref name="cardId"/>.</summary>
    public static JsonObject Execute(ConnectorEmulator connector, JsonObject action, string conversationId, string cardId, (string Name, string Role, string Aad, string Mri) from, string? reason = null)
    {
        var activity = Specs.Sample("inbound-invoke-adaptiveCard-action.json");
        activity["id"] = "f:" + NextId();
        activity["serviceUrl"] = connector.ServiceUrl;
        activity["recipient"] = new JsonObject { ["id"] = Some.BotId, ["name"] = "IncidentBot" };
        activity["from"] = For(from);
        activity["conversation"] = new JsonObject { ["id"] = conversationId, ["conversationType"] = conversationId.StartsWith("a:", StringComparison.Ordinal) ? "personal" : "channel", ["tenantId"] = Some.TenantId };
        activity["replyToId"] = cardId;
        var data = (JsonObject)action["data"]!.DeepClone();
        if (reason is not null)
        {
            data[AdaptiveCardRenderer.ReasonInput] = reason;
        }

        activity["value"] = new JsonObject
        {
            ["action"] = new JsonObject { ["type"] = "Action.Execute", ["title"] = action["title"]!.DeepClone(), ["verb"] = action["verb"]?.DeepClone(), ["data"] = data },
            ["trigger"] = "manual",
        };
        return activity;
    }

    /// <summary>The documented Action.Submit press: a message whose value is the button's data, replyToId the card's message.</summary>
    public static JsonObject Submit(ConnectorEmulator connector, JsonObject action, string conversationId, string cardId, (string Name, string Role, string Aad, string Mri) from)
    {
        var activity = Specs.Sample("inbound-message-card-submit-value.docs-example.json");
        activity["id"] = "f:" + NextId();
        activity["serviceUrl"] = connector.ServiceUrl;
        activity["recipient"] = new JsonObject { ["id"] = Some.BotId, ["name"] = "IncidentBot" };
        activity["from"] = For(from);
        activity["conversation"] = new JsonObject { ["id"] = conversationId, ["conversationType"] = "channel", ["tenantId"] = Some.TenantId };
        activity.Remove("text");
        activity["value"] = action["data"]!.DeepClone();
        activity["replyToId"] = cardId;
        return activity;
    }

    /// <summary>The documented conversationUpdate when the bot is added to a team, from <paramref name="installer"/>.</summary>
    public static JsonObject AddedToTeam(ConnectorEmulator connector, (string Name, string Role, string Aad, string Mri) installer)
    {
        var activity = Specs.Sample("inbound-conversationUpdate-bot-added-to-team.docs-example.json");
        activity["serviceUrl"] = connector.ServiceUrl;
        activity["recipient"] = new JsonObject { ["id"] = Some.BotId, ["name"] = "IncidentBot" };
        activity["membersAdded"] = new JsonArray(new JsonObject { ["id"] = Some.BotId });
        activity["from"] = For(installer);
        activity["conversation"]!["id"] = Some.Channel;
        activity["conversation"]!["tenantId"] = Some.TenantId;
        activity["channelData"]!["tenant"]!["id"] = Some.TenantId;
        return activity;
    }

    /// <summary>installationUpdate (add) in a person's 1:1 chat: they installed the app for themselves and never wrote.</summary>
    public static JsonObject InstalledPersonally(ConnectorEmulator connector, (string Name, string Role, string Aad, string Mri) person) => new()
    {
        ["type"] = "installationUpdate",
        ["action"] = "add",
        ["id"] = "f:" + NextId(),
        ["timestamp"] = "2026-11-28T03:00:00.000Z",
        ["channelId"] = "msteams",
        ["serviceUrl"] = connector.ServiceUrl,
        ["from"] = For(person),
        ["recipient"] = new JsonObject { ["id"] = Some.BotId, ["name"] = "IncidentBot" },
        ["conversation"] = new JsonObject { ["id"] = PersonalChat(person), ["conversationType"] = "personal", ["tenantId"] = Some.TenantId },
        ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = Some.TenantId } },
    };

    private static string NextId() => (1764290000000 + Interlocked.Increment(ref _next)).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
