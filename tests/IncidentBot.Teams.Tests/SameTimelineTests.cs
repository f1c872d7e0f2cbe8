using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IncidentBot.Core.Incidents;
using IncidentBot.Teams.Tests.Support;
using IncidentBot.Tests.Support;
using SlackSide = IncidentBot.Slack.Tests.Support;

namespace IncidentBot.Teams.Tests;

/// <summary>
/// A feature is written once, in Core: the same incident driven through signed Slack payloads to the Slack endpoints
/// (Slack Web API emulator) and through signed Teams activities to /api/messages (Connector emulator) leaves the same
/// timeline, entry for entry (kind, actor, text), and the same step and approval outcomes. Only platform ids differ,
/// and those are written as placeholders before comparing.
/// </summary>
public sealed partial class SameTimelineTests : IAsyncLifetime
{
    private const string Edited = "Rolled back the deploy and the config change";

    private TokenIssuer _issuer = null!;
    private ConnectorEmulator _connector = null!;
    private SlackSide.SlackEmulator _slack = null!;

    public async Task InitializeAsync()
    {
        _issuer = await TokenIssuer.StartAsync();
        _connector = await ConnectorEmulator.StartAsync();
        _slack = await SlackSide.SlackEmulator.StartAsync();
    }

    [Fact]
    public async Task TheSameIncidentDrivenFromSlackAndFromTeamsLeavesTheSameTimeline()
    {
        // Both bots call the same hook (on loopback) and read the same unreachable status page, so checks and actions
        // come back alike.
        var hook = _connector.BaseUrl + ConnectorEmulator.HooksPath + "pause-webhooks";
        await using var slack = await SlackSide.TestBot.StartAsync(_slack, new() { ["Hooks:pause-webhooks:Url"] = hook, ["Clerk:StatusUrl"] = Offline.StatusUrl });
        await using var teams = await TestBot.StartAsync(_issuer, _connector, new() { ["Hooks:pause-webhooks:Url"] = hook });

        await DriveSlackAsync(slack);
        await DriveTeamsAsync(teams);

        var fromSlack = Lines(slack.Incidents.Timeline("INC-1"));
        var fromTeams = Lines(teams.Incidents.Timeline("INC-1"));
        Assert.True(fromSlack.Count >= 10, string.Join("\n", fromSlack));
        for (var i = 0; i < Math.Max(fromSlack.Count, fromTeams.Count); i++)
        {
            Assert.True(i < fromSlack.Count && i < fromTeams.Count && fromSlack[i] == fromTeams[i],
                $"entry {i} differs:\n slack: {fromSlack.ElementAtOrDefault(i)}\n teams: {fromTeams.ElementAtOrDefault(i)}\n\nslack:\n{string.Join("\n", fromSlack)}\n\nteams:\n{string.Join("\n", fromTeams)}");
        }

        Assert.Equal(Outcomes(slack.Incidents.Find("INC-1")!), Outcomes(teams.Incidents.Find("INC-1")!));
        Assert.Contains(fromTeams, l => l == "message | bob | " + Edited);
        Assert.Contains(fromTeams, l => l.StartsWith("approval | bob |", StringComparison.Ordinal));
        Assert.Equal(IncidentState.Resolved, teams.Incidents.Find("INC-1")!.State);
        Assert.Equal(2, _connector.Hooks.Count(h => h == "pause-webhooks"));
        Assert.Empty(_connector.Violations);
        Assert.Empty(_slack.Violations);
    }

    private async Task DriveSlackAsync(SlackSide.TestBot bot)
    {
        await bot.CommandAsync(SlackSide.Payloads.SlashCommand("declare auth-outage sev2 Users cannot sign in", userId: "U0ALICE"));
        await _slack.WhenCalledAsync("pins.add");
        await bot.SettleAsync();
        var channel = bot.Incidents.Find("INC-1")!.RoomOn("slack")!.ChannelId;

        await bot.CommandAsync(SlackSide.Payloads.SlashCommand("ack", channelId: channel, userId: "U0BOB"));
        await bot.SettleAsync();
        await PressSlackAsync(bot, channel, "Done", "U0BOB");

        var ts = bot.Time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture) + ".000100"; // now, as Slack stamps it
        Assert.Equal(HttpStatusCode.OK, (await bot.EventAsync(SlackSide.Payloads.MessageEvent(channel, "Ev-rollback", ts, "Rolled back the deploy", "U0BOB"))).StatusCode);
        var edit = SlackSide.Payloads.Json("http__event_callback_message_changed.bolt-python.json");
        edit["event_id"] = "Ev-rollback-edit";
        edit["event"]!["channel"] = channel;
        edit["event"]!["message"]!["text"] = Edited;
        edit["event"]!["message"]!["user"] = "U0BOB";
        edit["event"]!["message"]!["ts"] = ts;
        edit["event"]!["previous_message"]!["ts"] = ts;
        Assert.Equal(HttpStatusCode.OK, (await bot.EventAsync(edit)).StatusCode);
        await bot.SettleAsync();

        await bot.CommandAsync(SlackSide.Payloads.SlashCommand("hook pause-webhooks", channelId: channel, userId: "U0ALICE"));
        await bot.SettleAsync();
        await PressSlackAsync(bot, channel, "Approve", "U0BOB");
        await _connector.WhenAsync(c => c.Hooks.Contains("pause-webhooks"), "the hook call from Slack's bot");
        await bot.SettleAsync();

        await bot.CommandAsync(SlackSide.Payloads.SlashCommand("note root-cause: an expired secret key", channelId: channel, userId: "U0BOB"));
        await bot.CommandAsync(SlackSide.Payloads.SlashCommand("resolve", channelId: channel, userId: "U0BOB"));
        await bot.SettleAsync();
    }

    private async Task DriveTeamsAsync(TestBot bot)
    {
        await bot.PostAsync(Incoming.AddedToTeam(_connector, Some.Alice));
        await bot.PostAsync(Incoming.ChannelMention(_connector, "declare auth-outage sev2 Users cannot sign in", Some.Alice));
        await bot.SettleAsync();
        var thread = bot.Incidents.Find("INC-1")!.RoomOn("teams")!.ChannelId;

        await bot.PostAsync(Incoming.ChannelMention(_connector, "ack", Some.Bob, thread));
        await bot.SettleAsync();
        await PressTeamsAsync(bot, thread, "Done", Some.Bob);

        var message = Incoming.ChannelMessage(_connector, "Rolled back the deploy", Some.Bob, thread);
        Assert.Equal(HttpStatusCode.OK, (await bot.PostAsync(message)).StatusCode);
        var edit = message.DeepClone().AsObject();
        edit["type"] = "messageUpdate";
        edit["text"] = Edited;
        Assert.Equal(HttpStatusCode.OK, (await bot.PostAsync(edit)).StatusCode);
        await bot.SettleAsync();

        await bot.PostAsync(Incoming.ChannelMention(_connector, "hook pause-webhooks", Some.Alice, thread));
        await bot.SettleAsync();
        await PressTeamsAsync(bot, thread, "Approve", Some.Bob);
        await _connector.WhenAsync(c => c.Hooks.Count(h => h == "pause-webhooks") == 2, "the hook call from Teams' bot");
        await bot.SettleAsync();

        await bot.PostAsync(Incoming.ChannelMention(_connector, "note root-cause: an expired secret key", Some.Bob, thread));
        await bot.PostAsync(Incoming.ChannelMention(_connector, "resolve", Some.Bob, thread));
        await bot.SettleAsync();
    }

    /// <summary>Presses the button titled <paramref name="title"/> on the last Block Kit message in the channel that has one.</summary>
    private async Task PressSlackAsync(SlackSide.TestBot bot, string channel, string title, string userId)
    {
        var post = _slack.CallsTo("chat.postMessage").Last(c => c.Arg("channel") == channel && c.Arg("blocks")!.Contains($"\"{title}\"", StringComparison.Ordinal));
        var blocks = (JsonArray)JsonNode.Parse(post.Arg("blocks")!)!;
        var button = blocks.OfType<JsonObject>().Where(b => (string?)b["type"] == "actions").SelectMany(b => b["elements"]!.AsArray().OfType<JsonObject>())
            .Single(e => (string?)e["text"]?["text"] == title);
        var payload = SlackSide.Payloads.BlockAction(button, channel, (string)post.Answer!["ts"]!, blocks, userId, $"{_slack.BaseUrl}/hooks/commands/T111/{title}");
        Assert.Equal(HttpStatusCode.OK, (await bot.InteractionAsync(payload)).StatusCode);
        await bot.SettleAsync();
    }

    /// <summary>Presses the Action.Execute titled <paramref name="title"/> on the last card in the thread that has one.</summary>
    private async Task PressTeamsAsync(TestBot bot, string thread, string title, (string Name, string Role, string Aad, string Mri) who)
    {
        var post = _connector.CallsTo("Conversations_SendToConversation").Last(c => c.ConversationId == thread && c.Said.Contains($"\"{title}\"", StringComparison.Ordinal));
        var action = post.Card!["body"]!.AsArray().OfType<JsonObject>().Where(e => (string?)e["type"] == "ActionSet")
            .SelectMany(e => e["actions"]!.AsArray().OfType<JsonObject>()).Single(a => (string?)a["title"] == title);
        Assert.Equal(HttpStatusCode.OK, (await bot.PostAsync(Incoming.Execute(_connector, action, thread, post.NewId!, who))).StatusCode);
        await bot.SettleAsync();
    }

    /// <summary>Kind, actor and text of each entry, with platform ids written as placeholders.</summary>
    private static List<string> Lines(IEnumerable<Core.Timeline.TimelineEntry> timeline) =>
        timeline.Select(e => Normalised($"{e.Kind} | {e.Actor} | {e.Text}")).ToList();

    /// <summary>Each step's id, outcome and who; each approval's action, state and deciders.</summary>
    private static List<string> Outcomes(Incident incident) =>
        incident.Steps.Select(s => Normalised($"step {s.StepId} {s.Outcome} by {s.By}: {s.Result} {s.Reason} {s.Branch}"))
            .Concat(incident.Approvals.Select(a => Normalised(
                $"approval {a.Id} {a.Action} {a.State} asked by {a.RequestedBy}, decided by {string.Join(",", a.Decisions.Select(d => $"{d.By} {d.Approved}"))}, results {string.Join(",", a.Results.Select(r => $"{r.Target} {r.Succeeded} {r.Detail}"))}")))
            .ToList();

    private static string Normalised(string line) => PlatformIds().Replace(line, "<id>");

    // Slack users and channels (U0BOB, C0INC1), Teams users (29:..., aad-...), channels and threads (19:...), chats (a:...).
    [GeneratedRegex(@"\b[UCWG]0[A-Z0-9]+\b|29:[\w-]+|aad-[\w-]+|19:[^\s;,)]+(;messageid=\d+)?|\ba:[\w-]+")]
    private static partial Regex PlatformIds();

    public async Task DisposeAsync()
    {
        await _slack.DisposeAsync();
        await _connector.DisposeAsync();
        await _issuer.DisposeAsync();
    }
}
