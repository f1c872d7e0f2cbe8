using System.Net;
using System.Text.Json.Nodes;
using IncidentBot.Core.Timeline;
using IncidentBot.Slack.Tests.Support;

namespace IncidentBot.Slack.Tests.Inbound;

/// <summary>Issue 13, Low: signed payloads with wrong JSON types answer 400 naming the field; odd text is kept, made safe.</summary>
public sealed class PayloadShapeTests : SlackHostTest
{
    public static TheoryData<string, string, string> WrongEvents => new()
    {
        { "type", "1", "Field type must be a string, not a number" },
        { "type", "{}", "Field type must be a string, not an object" },
        { "event_id", "7", "Field event_id must be a string" },
        { "event", "\"message\"", "Field event must be an object, not a string" },
        { "event.type", "true", "Field event.type must be a string, not true or false" },
        { "event.channel", "[\"C1\"]", "Field event.channel must be a string, not an array" },
        { "event.text", "{\"a\":1}", "Field event.text must be a string" },
        { "event.ts", "1764300000.0001", "Field event.ts must be a string, not a number" },
        { "event.message", "\"x\"", "Field event.message must be an object" },
        { "event.previous_message", "1", "Field event.previous_message must be an object" },
    };

    public static TheoryData<string, string, string> WrongInteractions => new()
    {
        { "type", "1", "Field type must be a string, not a number" },
        { "user", "\"U0ALICE\"", "Field user must be an object, not a string" },
        { "user.id", "5", "Field user.id must be a string" },
        { "actions", "{}", "Field actions must be an array, not an object" },
        { "actions.0", "\"approve\"", "Field actions[0] must be an object" },
        { "actions.0.value", "42", "Field actions[0].value must be a string, not a number" },
        { "actions.0.text", "\"Approve\"", "Field actions[0].text must be an object" },
        { "container.message_ts", "1.5", "Field container.message_ts must be a string" },
        { "message", "{\"blocks\":{}}", "Field message.blocks must be an array" },
        { "response_url", "[]", "Field response_url must be a string" },
    };

    [Theory]
    [MemberData(nameof(WrongEvents))]
    public async Task AnEventWithAWrongJsonTypeIsA400NamingTheField(string path, string json, string expected)
    {
        var envelope = Payloads.MessageEvent("C999", "Ev-shape", "1764300000.000100", "hello");
        Set(envelope, path, JsonNode.Parse(json));

        var response = await Bot.EventAsync(envelope);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(Bot.Log.Lines, l => l.Contains("Exception", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(WrongInteractions))]
    public async Task AnInteractionWithAWrongJsonTypeIsA400NamingTheField(string path, string json, string expected)
    {
        var payload = Payloads.Json("http__block_actions_payload.bolt-python.json");
        Set(payload, path, JsonNode.Parse(json));

        var response = await Bot.InteractionAsync(payload);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(Bot.Log.Lines, l => l.Contains("Exception", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("payload=%5B1%2C2%5D")] // a JSON array
    [InlineData("payload=%7Bnot+json")]
    [InlineData("no_payload=1")]
    public async Task AnInteractionThatIsNotAJsonObjectIsA400(string body)
    {
        var response = await Bot.PostSignedAsync("/slack/interactions", body, "application/x-www-form-urlencoded");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotEmpty(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ASkipModalsMetadataWithAWrongTypeIsA400()
    {
        var payload = Payloads.Json("http__block_actions_payload.bolt-python.json");
        payload["type"] = "view_submission";
        payload["view"] = new JsonObject { ["callback_id"] = "skip_reason", ["private_metadata"] = "{\"action\":5}" };

        var response = await Bot.InteractionAsync(payload);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("view.private_metadata:action must be a string", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMessageWithALoneSurrogateIsRecordedWithAReplacementCharacterNotLost()
    {
        var channel = await DeclareAsync();
        // Built as text: a JsonObject holding a lone surrogate can't be serialised, which is the point.
        var envelope = Payloads.MessageEvent(channel, "Ev-lone", "1764300000.000100", "LONE", userId: "U0ALICE").ToJsonString()
            .Replace("\"LONE\"", "\"broken \\ud83d emoji and a pair \\ud83d\\ude00\"", StringComparison.Ordinal);

        var response = await Bot.PostSignedAsync("/slack/events", envelope, "application/json");
        await Bot.DrainAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var entry = Assert.Single(Bot.Incidents.Timeline("INC-1"), e => e.Kind == EntryKind.Message);
        Assert.Equal("broken \uFFFD emoji and a pair \U0001F600", entry.Text);
    }

    [Fact]
    public async Task ControlCharactersInAMessageAreDroppedBeforeTheyReachTheTimeline()
    {
        var channel = await DeclareAsync();

        await Bot.EventAsync(Payloads.MessageEvent(channel, "Ev-ctl", "1764300000.000100", "bell\u0007 escape\u001b[31m nul\u0000 tab\tkept\nline", userId: "U0ALICE"));
        await Bot.DrainAsync();

        var entry = Assert.Single(Bot.Incidents.Timeline("INC-1"), e => e.Kind == EntryKind.Message);
        Assert.Equal("bell escape[31m nul tab\tkept\nline", entry.Text);
    }

    [Fact]
    public async Task ControlCharactersAndLoneSurrogatesInASlashCommandAreCleanedToo()
    {
        var response = await Bot.CommandAsync(Payloads.SlashCommand("declare auth-outage sev2 Bell\u0007 title", userId: "U0ALICE", responseUrl: Slack.BaseUrl + "/hooks/commands/1")
            + "&junk=%ED%A0%BD");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Slack.WhenCalledAsync("pins.add");
        Assert.Equal("Bell title", Bot.Incidents.Find("INC-1")!.Title);
    }

    private async Task<string> DeclareAsync()
    {
        await Bot.CommandAsync(Payloads.SlashCommand("declare auth-outage sev2 Users cannot sign in", userId: "U0ALICE", responseUrl: Slack.BaseUrl + "/hooks/commands/1"));
        var channel = (await Slack.WhenCalledAsync("pins.add")).Arg("channel")!;
        await Bot.DrainAsync();
        return channel;
    }

    /// <summary>Sets the value at a dotted path ("actions.0.value"), replacing whatever was there.</summary>
    private static void Set(JsonObject root, string path, JsonNode? value)
    {
        var parts = path.Split('.');
        JsonNode node = root;
        foreach (var part in parts[..^1])
        {
            node = int.TryParse(part, out var i) ? node[i]! : node[part]!;
        }

        var last = parts[^1];
        if (int.TryParse(last, out var index))
        {
            node.AsArray()[index] = value;
        }
        else
        {
            node[last] = value;
        }
    }
}
