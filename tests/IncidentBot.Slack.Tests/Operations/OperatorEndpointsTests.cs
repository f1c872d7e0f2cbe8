using System.Net;
using System.Text.Json.Nodes;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.People;
using IncidentBot.Slack.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace IncidentBot.Slack.Tests.Operations;

/// <summary>/readyz and /metrics on the real host with Slack on (against the emulator).</summary>
public sealed class OperatorEndpointsTests : SlackHostTest
{
    [Fact]
    public async Task ReadyzIsReadyWhenStorageSlackAndTheSchedulerAre()
    {
        var response = await Bot.Http.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var checks = body["checks"]!.AsArray().ToDictionary(c => (string)c!["name"]!, c => (bool)c!["ready"]!);
        Assert.Equal(new Dictionary<string, bool> { ["storage"] = true, ["scheduler"] = true, ["slack"] = true }, checks);
    }

    [Fact]
    public async Task ReadyzIsNotReadyWhileSlackRefusesTheBotToken()
    {
        Slack.On("auth.test", _ => Task.FromResult<IResult?>(Results.Json(new { ok = false, error = "invalid_auth" })));

        var response = await Bot.Http.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var slack = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["checks"]!.AsArray().Single(c => (string)c!["name"]! == "slack")!;
        Assert.False((bool)slack["ready"]!);
        Assert.Contains("invalid_auth", (string)slack["detail"]!, StringComparison.Ordinal);
        Assert.DoesNotContain(SlackEmulator.BotToken, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MetricsCountOpenIncidentsPagesAcknowledgementsAndSlackAcks()
    {
        await Bot.CommandAsync(Payloads.SlashCommand("declare auth-outage sev1 Users cannot sign in"));
        await Bot.SettleAsync();
        Bot.Time.Advance(TimeSpan.FromMinutes(3));
        await Bot.CommandAsync(Payloads.SlashCommand("ack INC-1"));
        await Bot.SettleAsync();

        var metrics = await Bot.Http.GetStringAsync("/metrics");

        Assert.Contains("incidentbot_open_incidents{severity=\"sev1\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("incidentbot_open_incidents{severity=\"sev2\"} 0", metrics, StringComparison.Ordinal);
        Assert.Contains("incidentbot_time_to_acknowledge_seconds_sum{severity=\"sev1\"} 180", metrics, StringComparison.Ordinal);
        Assert.Contains("incidentbot_time_to_acknowledge_seconds_count{severity=\"sev1\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("incidentbot_transitions_total{state=\"Investigating\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("incidentbot_pages_total{outcome=\"sent\"} 1", metrics, StringComparison.Ordinal); // level 1: alice
        Assert.Contains("incidentbot_slack_ack_seconds_count{endpoint=\"commands\"} 2", metrics, StringComparison.Ordinal);
        foreach (var name in new[] { "incidentbot_time_to_resolve_seconds", "incidentbot_actions_total", "incidentbot_clerk_request_seconds", "incidentbot_clerk_rate_limited_total" })
        {
            Assert.Contains($"# TYPE {name} ", metrics, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task APageSlackCannotDeliverMovesThePagesFailedMetric()
    {
        Assert.Contains("incidentbot_pages_total{outcome=\"failed\"} 0", await Bot.Http.GetStringAsync("/metrics"), StringComparison.Ordinal);
        RefuseTheDirectMessageTo("U0ALICE");

        await Bot.CommandAsync(Payloads.SlashCommand("declare auth-outage sev1 Users cannot sign in"));
        await Slack.WhenAsync(e => e.CallsTo("conversations.open").Any(c => c.Arg("users") == "U0BOB"), "the DM to bob, the next level");
        await Bot.SettleAsync();

        var metrics = await Bot.Http.GetStringAsync("/metrics");
        Assert.Contains("incidentbot_pages_total{outcome=\"failed\"} 1", metrics, StringComparison.Ordinal); // alice
        Assert.Contains("incidentbot_pages_total{outcome=\"sent\"} 2", metrics, StringComparison.Ordinal); // alice, then bob at once
    }

    [Fact]
    public async Task MessagesSlackDoesNotDeliverToTheIncidentsChannelMoveTheUndeliveredMetric()
    {
        Assert.Contains("incidentbot_room_messages_undelivered_total{platform=\"slack\"} 0", await Bot.Http.GetStringAsync("/metrics"), StringComparison.Ordinal);
        await Bot.CommandAsync(Payloads.SlashCommand("declare auth-outage sev1 Users cannot sign in"));
        var channel = (await Slack.WhenCalledAsync("pins.add")).Arg("channel")!;
        await Bot.SettleAsync();
        Task<IResult?> Refuse(SlackCall call) =>
            Task.FromResult<IResult?>(call.Arg("channel") == channel ? Results.Json(new { ok = false, error = "is_archived" }) : null);
        Slack.On("chat.postMessage", Refuse);
        Slack.On("chat.update", Refuse);

        await Bot.CommandAsync(Payloads.SlashCommand("note INC-1 first finding", channelId: channel, responseUrl: $"{Slack.BaseUrl}/hooks/n1"));
        await Bot.SettleAsync();
        await Bot.CommandAsync(Payloads.SlashCommand("note INC-1 second finding", channelId: channel, responseUrl: $"{Slack.BaseUrl}/hooks/n2"));
        await Bot.SettleAsync();

        // At least the two notes' posts were refused in the room and counted; nothing on the other platform.
        var metrics = await Bot.Http.GetStringAsync("/metrics");
        var slack = metrics.Split('\n').Single(l => l.StartsWith("incidentbot_room_messages_undelivered_total{platform=\"slack\"} ", StringComparison.Ordinal));
        Assert.True(int.Parse(slack.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture) >= 2, slack);
        Assert.Contains("incidentbot_room_messages_undelivered_total{platform=\"teams\"} 0", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADrillMovesNoRealMetricWhileARealIncidentDoes()
    {
        RefuseTheDirectMessageTo("U0ALICE");

        // Declared as `/incident drill` declares it (paging only alice), then worked like a real one.
        var (drill, _) = await Bot.Incidents.DeclareAsync(new Actor("alice", "U0ALICE"), "auth-outage", Severity.Sev1, "Practice", InChannel, Origin, ["alice"], CancellationToken.None);
        await WorkAsync(drill!.Id);
        var afterDrill = await Bot.Http.GetStringAsync("/metrics");

        Assert.True(drill.Drill);
        Assert.Contains("incidentbot_open_incidents{severity=\"sev1\"} 0", afterDrill, StringComparison.Ordinal);
        Assert.DoesNotContain("incidentbot_time_to_acknowledge_seconds_count{", afterDrill, StringComparison.Ordinal);
        Assert.DoesNotContain("incidentbot_time_to_resolve_seconds_count{", afterDrill, StringComparison.Ordinal);
        Assert.DoesNotContain("incidentbot_transitions_total{", afterDrill, StringComparison.Ordinal);
        Assert.Contains("incidentbot_pages_total{outcome=\"sent\"} 0", afterDrill, StringComparison.Ordinal);
        Assert.Contains("incidentbot_pages_total{outcome=\"failed\"} 0", afterDrill, StringComparison.Ordinal);
        Assert.DoesNotContain("incidentbot_actions_total{", afterDrill, StringComparison.Ordinal);

        var (real, _) = await Bot.Incidents.DeclareAsync(new Actor("alice", "U0ALICE"), "auth-outage", Severity.Sev1, "Users cannot sign in", InChannel, Origin, CancellationToken.None);
        await WorkAsync(real!.Id);
        var afterReal = await Bot.Http.GetStringAsync("/metrics");

        Assert.Contains("incidentbot_time_to_acknowledge_seconds_count{severity=\"sev1\"} 1", afterReal, StringComparison.Ordinal);
        Assert.Contains("incidentbot_time_to_resolve_seconds_count{severity=\"sev1\"} 1", afterReal, StringComparison.Ordinal);
        Assert.Contains("incidentbot_transitions_total{state=\"Resolved\"} 1", afterReal, StringComparison.Ordinal);
        Assert.Contains("incidentbot_pages_total{outcome=\"sent\"} 2", afterReal, StringComparison.Ordinal); // alice, then bob at once
        Assert.Contains("incidentbot_pages_total{outcome=\"failed\"} 1", afterReal, StringComparison.Ordinal);
        Assert.Contains("incidentbot_actions_total{action=\"clerk.lock\",event=\"refused\"} 1", afterReal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADrillIsNotCountedAsAnOpenIncident()
    {
        await Bot.Incidents.DeclareAsync(new Actor("alice", "U0ALICE"), "auth-outage", Severity.Sev2, "Practice", InChannel, Origin, ["alice"], CancellationToken.None);
        await Bot.CommandAsync(Payloads.SlashCommand("declare auth-outage sev2 Users cannot sign in"));
        await Bot.SettleAsync();

        Assert.Contains("incidentbot_open_incidents{severity=\"sev2\"} 1", await Bot.Http.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    /// <summary>Waits out the page to alice failing, then acknowledges, asks for a lock (refused: no Clerk here) and resolves.</summary>
    private async Task WorkAsync(string id)
    {
        await Slack.WhenAsync(
            e => e.CallsTo("chat.postMessage").Any(c => c.Arg("text")!.Contains($"Could not reach alice", StringComparison.Ordinal) && Bot.Incidents.Timeline(id).Any(t => t.Text.StartsWith("Could not reach alice", StringComparison.Ordinal))),
            $"alice's failed page on {id}");
        await Bot.SettleAsync();
        Bot.Time.Advance(TimeSpan.FromMinutes(3));
        foreach (var command in new[] { $"ack {id}", $"lock {id} user_2abc", $"resolve {id}" })
        {
            await Bot.CommandAsync(Payloads.SlashCommand(command));
            await Bot.SettleAsync();
        }

        Assert.Equal(IncidentState.Resolved, Bot.Incidents.Find(id)!.State);
    }

    private static Room InChannel => new() { Platform = "slack", ChannelId = "C111" };

    private static Origin Origin => new("slack", "C111", "U0ALICE");

    private void RefuseTheDirectMessageTo(string slackId) =>
        Slack.On("conversations.open", c => Task.FromResult<IResult?>(
            c.Arg("users") == slackId ? Results.Json(new { ok = false, error = "user_not_found" }) : null));

    [Fact]
    public async Task EveryRecordedFactIsALogEventWithTheIncidentId()
    {
        await Bot.CommandAsync(Payloads.SlashCommand("declare auth-outage sev1 Users cannot sign in"));
        await Bot.SettleAsync();
        await Bot.CommandAsync(Payloads.SlashCommand("ack INC-1"));
        await Bot.SettleAsync();

        var lines = Bot.Log.Lines.Select(l => l.Replace("\"", "", StringComparison.Ordinal)).ToList(); // rendered with quoted values

        Assert.Contains(lines, l => l.StartsWith("INC-1 declared by ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("INC-1 escalation by IncidentBot: Paged level 1 of 3 (on-call: alice)", StringComparison.Ordinal));
        Assert.Contains("INC-1 page sent to alice", lines);
        Assert.Contains(lines, l => l.StartsWith("INC-1 transition by ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("INC-1 action by IncidentBot: INC-1 · Check clerk.status", StringComparison.Ordinal));
    }
}
