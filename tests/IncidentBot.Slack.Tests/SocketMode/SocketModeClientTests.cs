using System.Text.Json.Nodes;
using IncidentBot.Core.Commands;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Timeline;
using IncidentBot.Slack.SocketMode;
using IncidentBot.Slack.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Slack.Tests.SocketMode;

public sealed class SocketModeClientTests : IAsyncLifetime
{
    private readonly HeldCommand _held = new();
    private SlackEmulator _slack = null!;
    private TestBot _bot = null!;

    public async Task InitializeAsync()
    {
        _slack = await SlackEmulator.StartAsync();
        _bot = await TestBot.StartAsync(_slack, new() { ["Slack:AppToken"] = SlackEmulator.AppToken }, s => s.AddSingleton<ICommandHandler>(_held));
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _slack.DisposeAsync();
    }

    [Fact]
    public async Task EnvelopesAreAckedHandledOnceAndTheBotReconnectsAfterDisconnectAndDrop()
    {
        var first = await _slack.AcceptSocketAsync();
        await first.SendAsync(Payloads.Json("socket_mode__hello.python-slack-sdk.json"));

        // A slash command: acked with the reply as the envelope's payload; delivered twice, declared once.
        var command = Payloads.Json("socket_mode__envelope1_slash_commands_command.python-slack-sdk.json");
        command["payload"]!["command"] = "/incident";
        command["payload"]!["text"] = "declare auth-outage sev2 Socket mode works";
        command["payload"]!["response_url"] = $"{_slack.BaseUrl}/hooks/commands/sm";
        await first.SendAsync(command);
        var ack = await first.ReceiveAsync();
        Assert.Equal((string?)command["envelope_id"], (string?)ack!["envelope_id"]);
        Assert.Contains("Declaring INC-1", (string?)ack["payload"]!["text"], StringComparison.Ordinal);
        await first.SendAsync(command);
        Assert.Equal((string?)command["envelope_id"], (string?)(await first.ReceiveAsync())!["envelope_id"]);
        var channel = (await _slack.WhenCalledAsync("pins.add")).Arg("channel")!;

        // A channel message, then the same envelope again, then Slack's retry of the event in a new envelope.
        var message = Payloads.Json("socket_mode__envelope4_events_api_message.python-slack-sdk.json");
        message["payload"]!["event"]!["channel"] = channel;
        await first.SendAsync(message);
        Assert.Equal((string?)message["envelope_id"], (string?)(await first.ReceiveAsync())!["envelope_id"]);
        await first.SendAsync(message);
        Assert.Equal((string?)message["envelope_id"], (string?)(await first.ReceiveAsync())!["envelope_id"]);
        var retry = (JsonObject)message.DeepClone();
        retry["envelope_id"] = "retry-envelope";
        retry["retry_attempt"] = 1;
        retry["retry_reason"] = "timeout";
        await first.SendAsync(retry);
        Assert.Equal("retry-envelope", (string?)(await first.ReceiveAsync())!["envelope_id"]);

        // disconnect: the next connection is asked for before the old one is closed.
        var disconnect = Payloads.Json("socket_mode__disconnect_too_many_websockets.python-slack-sdk.json");
        disconnect["reason"] = "refresh_requested";
        await first.SendAsync(disconnect);
        var second = await _slack.AcceptSocketAsync();
        Assert.Null(await first.ReceiveAsync()); // closed by the bot...
        Assert.Equal(2, _slack.SocketRequests); // ...after it had asked for the second connection
        await second.SendAsync(Payloads.Json("socket_mode__hello.java-slack-sdk.json"));

        // The socket drops: the bot reconnects with a fresh URL.
        second.Drop();
        var third = await _slack.AcceptSocketAsync();
        await third.SendAsync(Payloads.Json("socket_mode__hello.python-slack-sdk.json"));
        var later = (JsonObject)message.DeepClone();
        later["envelope_id"] = "after-reconnect";
        later["payload"]!["event_id"] = "Ev-after-reconnect";
        later["payload"]!["event"]!["ts"] = "1610241799.000300";
        later["payload"]!["event"]!["text"] = "Still here";
        await third.SendAsync(later);
        Assert.Equal("after-reconnect", (string?)(await third.ReceiveAsync())!["envelope_id"]);
        await _bot.DrainAsync();

        Assert.Equal(3, _slack.CallsTo("apps.connections.open").Count());
        Assert.Single(_bot.Incidents.List(openOnly: false));
        Assert.Single(_slack.CallsTo("conversations.create"));
        Assert.Equal(
            ["<@U111> Hi here!", "Still here"],
            _bot.Incidents.Timeline("INC-1").Where(e => e.Kind == EntryKind.Message).Select(e => e.Text));
        Assert.Empty(_slack.Violations);
    }

    [Fact]
    public async Task AnEnvelopeIsAckedWhileTheOneBeforeItIsStillBeingHandled()
    {
        var socket = await _slack.AcceptSocketAsync();
        await socket.SendAsync(Payloads.Json("socket_mode__hello.python-slack-sdk.json"));

        // The first envelope's command is held (the fake clock stands still, so its acknowledgement budget never runs out)...
        var held = Payloads.Json("socket_mode__envelope1_slash_commands_command.python-slack-sdk.json");
        held["envelope_id"] = "held-envelope";
        held["payload"]!["command"] = "/incident";
        held["payload"]!["text"] = "held";
        await socket.SendAsync(held);
        await _held.Entered.WaitAsync(TimeSpan.FromSeconds(20));

        // ...and the next one, sent behind it, is acknowledged all the same; so is a repeat of the held one, unhandled.
        var next = Payloads.Json("socket_mode__envelope4_events_api_message.python-slack-sdk.json");
        next["envelope_id"] = "next-envelope";
        await socket.SendAsync(next);
        Assert.Equal("next-envelope", (string?)(await socket.ReceiveAsync())!["envelope_id"]);
        await socket.SendAsync(held);
        var repeat = (await socket.ReceiveAsync())!;
        Assert.Equal("held-envelope", (string?)repeat["envelope_id"]);
        Assert.Null(repeat["payload"]);

        // Let go, the held one is acknowledged with its answer, and was handled once.
        _held.Finish(Reply.Text("Held no longer"));
        var ack = (await socket.ReceiveAsync())!;
        Assert.Equal("held-envelope", (string?)ack["envelope_id"]);
        Assert.Contains("Held no longer", (string?)ack["payload"]!["text"], StringComparison.Ordinal);
        Assert.Equal(1, _held.Runs);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 0)]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    [InlineData(4, 4)]
    [InlineData(9, 30)]
    public void ReconnectionBacksOffOnRepeatedFailures(int failures, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), SocketModeClient.ReconnectDelay(failures, TimeSpan.FromSeconds(30)));
    }

    /// <summary>A command that runs until the test lets it finish, like a slow Clerk call.</summary>
    private sealed class HeldCommand : ICommandHandler
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource<Reply> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _runs;

        public CommandSpec Spec { get; } = new("held", "held", "A test command that waits.", NeedsIncident: false);

        public Task Entered => _entered.Task;

        public int Runs => Volatile.Read(ref _runs);

        public void Finish(Reply reply) => _outcome.SetResult(reply);

        public Task<Reply> HandleAsync(CommandRequest request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _runs);
            _entered.TrySetResult();
            return _outcome.Task;
        }
    }
}
