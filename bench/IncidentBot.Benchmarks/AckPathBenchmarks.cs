using System.Text;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using IncidentBot.Core;
using IncidentBot.Core.Commands;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.People;
using IncidentBot.Slack;
using IncidentBot.Slack.Inbound;
using IncidentBot.Slack.Outbound;
using IncidentBot.Slack.Views;
using IncidentBot.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace IncidentBot.Benchmarks;

/// <summary>
/// The pieces of the Slack acknowledgement path, each on its own, with the bodies the ack benchmark sends (a signed
/// <c>/incident help</c> and a block_actions press of a stale Acknowledge): where the time of one request goes.
/// </summary>
[MemoryDiagnoser]
public class AckPathBenchmarks
{
    private const string Secret = "bench-signing-secret";
    private ServiceProvider _services = null!;
    private CommandRouter _router = null!;
    private SlackDispatcher _dispatcher = null!;
    private BlockKitRenderer _renderer = null!;
    private SlackCommandDeduper _deduper = null!;
    private byte[] _command = null!;
    private byte[] _press = null!;
    private string _timestamp = null!;
    private string _commandSignature = null!;
    private string _pressSignature = null!;
    private JsonObject _commandForm = null!;
    private JsonObject _pressPayload = null!;
    private ChatMessage _help = null!;
    private string _incident = null!;
    private long _serial;

    [GlobalSetup]
    public void Setup()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Path"] = ":memory:",
            ["Runbooks:Path"] = Path.Combine(Root(), "manifests", "runbooks"),
            ["Reports:Path"] = Directory.CreateTempSubdirectory("bench-reports").FullName,
            ["Roster:People:0:Name"] = "alice",
            ["Roster:People:0:Role"] = "on-call",
            ["Roster:People:0:SlackId"] = "UBENCH0",
            ["Roster:People:1:Name"] = "bob",
            ["Roster:People:1:Role"] = "engineering-lead",
            ["Roster:People:1:SlackId"] = "UBENCH1",
            ["Roster:People:2:Name"] = "carol",
            ["Roster:People:2:Role"] = "cto",
            ["Roster:People:2:SlackId"] = "UBENCH2",
            ["Slack:BotToken"] = "xoxb-bench-not-a-token",
            ["Slack:SigningSecret"] = Secret,
            ["Slack:ApiUrl"] = "http://127.0.0.1:9/api/",
        }).Build();
        var services = new ServiceCollection().AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(NullLogger<>));
        services.AddSingleton<Microsoft.Extensions.Logging.ILoggerFactory, NullLoggerFactory>();
        services.AddIncidentCore(configuration).AddIncidentStorage(configuration);
        IncidentBot.Core.Escalation.EscalationServices.AddEscalation(services, configuration);
        services.AddSlack(configuration);
        _services = services.BuildServiceProvider();
        _router = _services.GetRequiredService<CommandRouter>();
        _dispatcher = _services.GetRequiredService<SlackDispatcher>();
        _renderer = _services.GetRequiredService<BlockKitRenderer>();
        _deduper = new SlackCommandDeduper(TimeProvider.System);

        var alice = new CommandContext(new Actor("alice", "UBENCH0"), "bench", "C1");
        _incident = _router.HandleAsync(alice, "/incident declare auth-outage sev2 Ack path benchmark", CancellationToken.None).GetAwaiter().GetResult().IncidentId!;
        _router.HandleAsync(alice, $"/incident ack {_incident}", CancellationToken.None).GetAwaiter().GetResult();

        _command = Encoding.UTF8.GetBytes(CommandBody(0));
        var value = $"{_incident}|state:Declared|ack {_incident}";
        var payload = new JsonObject
        {
            ["type"] = "block_actions",
            ["user"] = new JsonObject { ["id"] = "UBENCH1", ["username"] = "bob", ["name"] = "bob", ["team_id"] = "TBENCH" },
            ["api_app_id"] = "ABENCH",
            ["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = "1.2", ["channel_id"] = "CBENCH" },
            ["trigger_id"] = "1.2.3",
            ["channel"] = new JsonObject { ["id"] = "CBENCH", ["name"] = "inc" },
            ["message"] = new JsonObject
            {
                ["ts"] = "1.2",
                ["blocks"] = new JsonArray(
                    new JsonObject { ["type"] = "section", ["block_id"] = "ping", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = $"*{_incident}* please acknowledge" } },
                    new JsonObject { ["type"] = "actions", ["block_id"] = "buttons", ["elements"] = new JsonArray(new JsonObject { ["type"] = "button", ["action_id"] = "ack", ["value"] = value, ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = "Acknowledge" } }) }),
            },
            ["response_url"] = "http://127.0.0.1:9/response",
            ["actions"] = new JsonArray(new JsonObject { ["action_id"] = "ack", ["block_id"] = "buttons", ["type"] = "button", ["value"] = value, ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = "Acknowledge" }, ["action_ts"] = "1.2" }),
        };
        _press = Encoding.UTF8.GetBytes("payload=" + Uri.EscapeDataString(payload.ToJsonString()));
        _timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        _commandSignature = SlackSignature.Sign(Secret, _timestamp, _command);
        _pressSignature = SlackSignature.Sign(Secret, _timestamp, _press);
        _commandForm = SlackRequestReader.Form(_command);
        _pressPayload = SlackRequestReader.Json((string?)SlackRequestReader.Form(_press)["payload"])!;
        _help = _router.HandleAsync(alice, "/incident help", CancellationToken.None).GetAwaiter().GetResult().Reply.Message;
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Description = "command: signature check (HMAC-SHA256 of ~430 B)")]
    public string? CommandSignature() => SlackSignature.Problem(Secret, _timestamp, _commandSignature, _command, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5));

    [Benchmark(Description = "command: form parse")]
    public JsonObject CommandForm() => SlackRequestReader.Form(_command);

    [Benchmark(Description = "command: shape check")]
    public string? CommandShape() => SlackShape.Problem(new SlackInbound(SlackInbound.SlashCommands, _commandForm));

    [Benchmark(Description = "command: duplicate guard (a new command)")]
    public bool CommandDedupe() => _deduper.FirstTime(new SlackInbound(SlackInbound.SlashCommands, SlackRequestReader.Form(Encoding.UTF8.GetBytes(CommandBody(++_serial)))));

    [Benchmark(Description = "command: parse `/incident help`")]
    public ParseResult CommandParse() => _router.Parser.Parse("/incident help");

    [Benchmark(Description = "command: router runs `help`")]
    public Task<CommandResult> CommandRoute() => _router.HandleAsync(new CommandContext(new Actor("alice", "UBENCH0"), "slack", "C1"), "/incident help", CancellationToken.None);

    [Benchmark(Description = "command: render Block Kit + JSON reply (the help text, rendered anew)")]
    public int CommandReply() => SlackReplies.EphemeralAck(_renderer.Render(_help)).Utf8Json.Length;

    [Benchmark(Description = "command: whole dispatch (guard, handler, ack budget, render)")]
    public async Task<int?> CommandDispatch()
    {
        var form = SlackRequestReader.Form(Encoding.UTF8.GetBytes(CommandBody(++_serial)));
        return (await _dispatcher.DispatchAsync(new SlackInbound(SlackInbound.SlashCommands, form), CancellationToken.None))?.Utf8Json.Length;
    }

    [Benchmark(Description = "press: signature check (HMAC-SHA256 of ~1.9 KB)")]
    public string? PressSignature() => SlackSignature.Problem(Secret, _timestamp, _pressSignature, _press, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5));

    [Benchmark(Description = "press: form parse + payload JSON parse")]
    public JsonObject? PressParse() => SlackRequestReader.Json((string?)SlackRequestReader.Form(_press)["payload"]);

    [Benchmark(Description = "press: shape check")]
    public string? PressShape() => SlackShape.Problem(new SlackInbound(SlackInbound.Interactive, _pressPayload));

    [Benchmark(Description = "press: router runs the stale Acknowledge (lock, load, guard)")]
    public Task<CommandResult> PressRoute() =>
        _router.PressAsync(new CommandContext(new Actor("bob", "UBENCH1"), "slack", "CBENCH"), new ButtonAction(_incident, "state:Declared", $"ack {_incident}"), CancellationToken.None);

    private static string CommandBody(long n) =>
        $"token=bench&team_id=TBENCH&team_domain=bench&channel_id=CB{n:D6}&channel_name=bench&user_id=UBENCH0&user_name=alice&command=%2Fincident&text=help&api_app_id=ABENCH&is_enterprise_install=false&response_url=http%3A%2F%2F127.0.0.1%3A18109%2Fresponse&trigger_id={n}.1.bench";

    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IncidentBot.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
