using System.Text;
using IncidentBot.Slack.Inbound;

namespace IncidentBot.Slack.Tests.Inbound;

public sealed class SlackSignatureTests
{
    // Slack's own example from "Verifying requests from Slack" (reference/slack.md §a).
    private const string DocSecret = "8f742231b10e8888abcd99yyyzzz85a5";
    private const string DocTimestamp = "1531420618";
    private const string DocBody = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    private const string DocSignature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
    private static readonly DateTimeOffset DocNow = DateTimeOffset.FromUnixTimeSeconds(1531420618);
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    [Fact]
    public void SlacksDocumentedExampleVerifies()
    {
        Assert.Equal(DocSignature, SlackSignature.Sign(DocSecret, DocTimestamp, Encoding.UTF8.GetBytes(DocBody)));
        Assert.Null(SlackSignature.Problem(DocSecret, DocTimestamp, DocSignature, Encoding.UTF8.GetBytes(DocBody), DocNow.AddSeconds(30), Tolerance));
    }

    [Theory]
    [InlineData("tampered body")]
    [InlineData("wrong secret")]
    [InlineData("stale timestamp")]
    [InlineData("future timestamp")]
    [InlineData("missing signature")]
    public void AnythingButTheGenuineRequestIsRefused(string change)
    {
        var body = change == "tampered body" ? DocBody.Replace("text=", "text=declare", StringComparison.Ordinal) : DocBody;
        var secret = change == "wrong secret" ? "another-secret" : DocSecret;
        var now = change switch
        {
            "stale timestamp" => DocNow.AddSeconds(301),
            "future timestamp" => DocNow.AddSeconds(-301),
            _ => DocNow,
        };
        var signature = change == "missing signature" ? null : DocSignature;

        Assert.NotNull(SlackSignature.Problem(secret, DocTimestamp, signature, Encoding.UTF8.GetBytes(body), now, Tolerance));
    }

    [Theory]
    [InlineData("-9223372036854775808")]
    [InlineData("9223372036854775807")]
    [InlineData("-1")]
    [InlineData("1e9")]
    [InlineData("99999999999999999999999")]
    public void AnExtremeTimestampIsRefusedWithoutOverflowing(string timestamp)
    {
        var problem = SlackSignature.Problem(DocSecret, timestamp, DocSignature, Encoding.UTF8.GetBytes(DocBody), DocNow, Tolerance);

        Assert.NotNull(problem);
    }

    [Fact]
    public void TheSignatureIsComparedInConstantTimeOverTheExactBytes()
    {
        // One byte of the body changed (a trailing newline a proxy might add) is a different signature.
        var body = Encoding.UTF8.GetBytes(DocBody);
        var padded = Encoding.UTF8.GetBytes(DocBody + "\n");

        Assert.Null(SlackSignature.Problem(DocSecret, DocTimestamp, DocSignature, body, DocNow, Tolerance));
        Assert.Equal("signature mismatch", SlackSignature.Problem(DocSecret, DocTimestamp, DocSignature, padded, DocNow, Tolerance));
        Assert.Equal("malformed signature", SlackSignature.Problem(DocSecret, DocTimestamp, DocSignature + "00", body, DocNow, Tolerance));
    }
}
