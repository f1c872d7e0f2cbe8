using System.Net;
using System.Text.Json.Nodes;
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
