using System.Text.Json.Nodes;
using IncidentBot.Slack.Tests.Support;

namespace IncidentBot.Slack.Tests.SocketMode;

/// <summary>Issue 13, Low: a malformed Socket Mode envelope is acknowledged (when it has an id) and logged, and never ends the connection.</summary>
public sealed class MalformedEnvelopeTests : IAsyncLifetime
{
    private SlackEmulator _slack = null!;
    private TestBot _bot = null!;

    public async Task InitializeAsync()
    {
        _slack = await SlackEmulator.StartAsync();
        _bot = await TestBot.StartAsync(_slack, new() { ["Slack:AppToken"] = SlackEmulator.AppToken });
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _slack.DisposeAsync();
    }

    public static TheoryData<string, string> Malformed => new()
    {
        { "accepts_response_payload", "\"yes\"" },
        { "accepts_response_payload", "1" },
        { "type", "1" },
        { "type", "\"no_such_type\"" },
        { "payload", "\"text\"" },
        { "payload", "null" },
        { "payload.command", "7" },
        { "payload.user_id", "{}" },
        { "payload.user_id", "\"\"" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task AMalformedEnvelopeIsAcknowledgedAndTheConnectionCarriesOn(string field, string json)
    {
        var socket = await ConnectAsync();
        var envelope = Command("bad-envelope", "help");
        Set(envelope, field, JsonNode.Parse(json));

        await socket.SendAsync(envelope);
        var ack = await socket.ReceiveAsync();

        Assert.Equal("bad-envelope", (string?)ack!["envelope_id"]);
        Assert.Null(ack["payload"]); // not handled: no answer to show
        Assert.Contains(_bot.Log.Lines, l => l.Contains("bad-envelope", StringComparison.Ordinal) && l.Contains("malformed", StringComparison.Ordinal));
        await AssertStillServedAsync(socket);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"type\":\"events_api\",\"payload\":{}}")]
    [InlineData("{\"type\":\"events_api\",\"envelope_id\":42,\"payload\":{}}")]
    [InlineData("{\"type\":{\"nested\":true},\"envelope_id\":[]}")]
    [InlineData("{\"type\":\"slash_commands\",\"envelope_id\":\"lone\\ud83d\",\"payload\":{}}")]
    public async Task SomethingThatCantBeAcknowledgedIsLoggedAndTheConnectionCarriesOn(string text)
    {
        var socket = await ConnectAsync();

        await socket.SendAsync(text);

        await AssertStillServedAsync(socket);
        Assert.DoesNotContain(_bot.Log.Lines, l => l.Contains("Exception", StringComparison.Ordinal));
    }

    private async Task<SocketPeer> ConnectAsync()
    {
        var socket = await _slack.AcceptSocketAsync();
        await socket.SendAsync(Payloads.Json("socket_mode__hello.python-slack-sdk.json"));
        return socket;
    }

    /// <summary>A good envelope sent next on the same connection is handled and answered; no second connection was opened.</summary>
    private async Task AssertStillServedAsync(SocketPeer socket)
    {
        await socket.SendAsync(Command("good-envelope", "help"));
        JsonObject? ack;
        do
        {
            ack = await socket.ReceiveAsync();
        }
        while (ack is not null && (string?)ack["envelope_id"] != "good-envelope");

        Assert.NotNull(ack);
        Assert.Contains("declare", (string?)ack["payload"]?["text"], StringComparison.Ordinal);
        Assert.Single(_slack.CallsTo("apps.connections.open"));
    }

    private JsonObject Command(string envelopeId, string text)
    {
        var envelope = Payloads.Json("socket_mode__envelope1_slash_commands_command.python-slack-sdk.json");
        envelope["envelope_id"] = envelopeId;
        envelope["payload"]!["command"] = "/incident";
        envelope["payload"]!["text"] = text;
        envelope["payload"]!["user_id"] = "U0ALICE";
        envelope["payload"]!["response_url"] = $"{_slack.BaseUrl}/hooks/commands/sm";
        return envelope;
    }

    private static void Set(JsonObject root, string path, JsonNode? value)
    {
        var parts = path.Split('.');
        var node = parts.Length == 1 ? root : root[parts[0]]!.AsObject();
        node[parts[^1]] = value;
    }
}
