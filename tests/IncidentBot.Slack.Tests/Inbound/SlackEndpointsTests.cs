using System.Net;
using System.Text.Json.Nodes;
using IncidentBot.Slack.Tests.Support;

namespace IncidentBot.Slack.Tests.Inbound;

public sealed class SlackEndpointsTests : SlackHostTest
{
    [Fact]
    public async Task HealthAnswersOnceTheHostIsUp()
    {
        Assert.Equal(HttpStatusCode.OK, (await Bot.Http.GetAsync("/healthz")).StatusCode);
    }

    [Theory]
    [InlineData("tampered body")]
    [InlineData("wrong secret")]
    [InlineData("stale timestamp")]
    [InlineData("future timestamp")]
    public async Task UnverifiableRequestsAreRefusedWith401AndTheLogLineKeepsTheSecret(string change)
    {
        var body = Payloads.SlashCommand("help");
        var response = change switch
        {
            "tampered body" => await Bot.PostSignedAsync("/slack/commands", body.Replace("help", "list", StringComparison.Ordinal), "application/x-www-form-urlencoded", signedBody: body),
            "wrong secret" => await Bot.PostSignedAsync("/slack/commands", body, "application/x-www-form-urlencoded", secret: "not-the-secret"),
            "stale timestamp" => await Bot.PostSignedAsync("/slack/commands", body, "application/x-www-form-urlencoded", at: Some.Now.AddMinutes(-6)),
            _ => await Bot.PostSignedAsync("/slack/commands", body, "application/x-www-form-urlencoded", at: Some.Now.AddMinutes(6)),
        };

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var refusal = Assert.Single(Bot.Log.Lines, l => l.Contains("not verifiably from Slack", StringComparison.Ordinal));
        Assert.DoesNotContain(Some.SigningSecret, refusal, StringComparison.Ordinal);
        Assert.All(Bot.Log.Lines, l => Assert.DoesNotContain(Some.SigningSecret, l, StringComparison.Ordinal));
        Assert.DoesNotContain(Slack.Calls, c => c.Method != "auth.test"); // nothing but the start-up token check
    }

    [Fact]
    public async Task UnsignedEventsAreRefusedToo()
    {
        var response = await Bot.Http.PostAsync("/slack/events", new StringContent(Paths.Sample("http__url_verification.bolt-python.json"), System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task UrlVerificationIsAnsweredWithItsChallenge()
    {
        var sample = Payloads.Json("http__url_verification.bolt-python.json");

        var response = await Bot.PostSignedAsync("/slack/events", sample.ToJsonString(), "application/json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal((string?)sample["challenge"], (string?)answer["challenge"]);
    }

    [Theory]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/x-www-form-urlencoded; charset=utf-8")]
    public async Task SlashCommandsAreAcceptedWithOrWithoutACharset(string contentType)
    {
        var response = await Bot.PostSignedAsync("/slack/commands", Payloads.SlashCommand("help"), contentType);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ack = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("ephemeral", (string?)ack["response_type"]);
        Assert.Contains("declare", (string?)ack["text"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownSubcommandGetsUsageHelpInTheAcknowledgement()
    {
        var response = await Bot.CommandAsync(Payloads.SlashCommand("delcare auth-outage sev1 x"));

        var ack = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Contains("Did you mean", (string?)ack["text"], StringComparison.Ordinal);
    }
}
