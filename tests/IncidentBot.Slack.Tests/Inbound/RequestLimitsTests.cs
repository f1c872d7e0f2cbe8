using System.Globalization;
using System.Net;
using System.Text;
using IncidentBot.Slack.Inbound;
using IncidentBot.Slack.Tests.Support;

namespace IncidentBot.Slack.Tests.Inbound;

/// <summary>Issue 13, High: a stranger's body is never read, and nobody's body is read past the endpoint's limit.</summary>
public sealed class RequestLimitsTests : SlackHostTest
{
    private const long Huge = 28_000_000;

    [Theory]
    [InlineData("/slack/commands")]
    [InlineData("/slack/interactions")]
    [InlineData("/slack/events")]
    public async Task AnUnsignedRequestIsRefusedFromItsHeadersWithoutWaitingForItsBody(string path)
    {
        // 28 MB promised, not a byte sent: an answer can only come from the headers.
        var (status, _) = await RawHttp.SendAsync(Bot.Http.BaseAddress!, path, [("Content-Type", "application/json"), ("Content-Length", Huge.ToString(CultureInfo.InvariantCulture))]);

        Assert.Equal(401, status);
    }

    [Fact]
    public async Task AStaleTimestampIsRefusedFromItsHeadersWithoutWaitingForItsBody()
    {
        var stale = Bot.Time.GetUtcNow().AddHours(-1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

        var (status, _) = await RawHttp.SendAsync(Bot.Http.BaseAddress!, "/slack/events", Headers(stale, Huge));

        Assert.Equal(401, status);
    }

    [Theory]
    [InlineData("/slack/commands", SlackBodyLimits.Commands)]
    [InlineData("/slack/interactions", SlackBodyLimits.Interactions)]
    [InlineData("/slack/events", SlackBodyLimits.Events)]
    public async Task ADeclaredBodyOverTheEndpointsLimitIsAnswered413WithoutReadingIt(string path, int limit)
    {
        var (status, body) = await RawHttp.SendAsync(Bot.Http.BaseAddress!, path, Headers(Now(), limit + 1L));

        Assert.Equal(413, status);
        Assert.Contains($"{limit} bytes", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AChunkedBodyIsReadNoFurtherThanTheLimit()
    {
        // No length declared: the server reads until the limit is passed, answers 413, and never waits for the rest.
        var chunk = new byte[SlackBodyLimits.Commands + 100];
        Array.Fill(chunk, (byte)'a');
        var framed = Encoding.ASCII.GetBytes($"{chunk.Length:x}\r\n").Concat(chunk).Concat("\r\n"u8.ToArray()).ToArray();

        var (status, _) = await RawHttp.SendAsync(
            Bot.Http.BaseAddress!, "/slack/commands", [.. Headers(Now(), null), ("Transfer-Encoding", "chunked")], framed);

        Assert.Equal(413, status);
    }

    [Theory]
    [InlineData("-9223372036854775808")]
    [InlineData("9223372036854775807")]
    [InlineData("99999999999999999999999")]
    [InlineData("+1")]
    [InlineData(" 1")]
    public async Task AnExtremeTimestampIsAClear401NotAnOverflow(string timestamp)
    {
        var body = Payloads.SlashCommand("help");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/slack/commands") { Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded") };
        request.Headers.TryAddWithoutValidation("X-Slack-Request-Timestamp", timestamp);
        request.Headers.TryAddWithoutValidation("X-Slack-Signature", SlackSignature.Sign(Some.SigningSecret, timestamp, Encoding.UTF8.GetBytes(body)));

        var response = await Bot.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Not verifiably from Slack", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(Bot.Log.Lines, l => l.Contains("Exception", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AGenuineRequestJustUnderTheLimitIsStillServed()
    {
        var text = "help " + new string('x', SlackBodyLimits.Commands - 2_000);

        var response = await Bot.CommandAsync(Payloads.SlashCommand(text));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private string Now() => Bot.Time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>Slack's headers with a fresh timestamp and a well-formed (but wrong) signature: only the body could tell.</summary>
    private static List<(string, string)> Headers(string timestamp, long? length)
    {
        var headers = new List<(string, string)>
        {
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("X-Slack-Request-Timestamp", timestamp),
            ("X-Slack-Signature", "v0=" + new string('0', 64)),
        };
        if (length is { } l)
        {
            headers.Add(("Content-Length", l.ToString(CultureInfo.InvariantCulture)));
        }

        return headers;
    }
}
