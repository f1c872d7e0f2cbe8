using System.Buffers;
using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

// The floor of the ack-path benchmark: what any Slack endpoint has to do and nothing more. It reads the body, checks
// the v0 signature and the timestamp, parses the form (and the interaction payload's JSON) and answers with a short
// ephemeral message. IncidentBot's own numbers are read against this one, measured in the same run.
var secret = Environment.GetEnvironmentVariable("SLACK_SIGNING_SECRET") ?? throw new InvalidOperationException("SLACK_SIGNING_SECRET is not set");
var key = Encoding.UTF8.GetBytes(secret);

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();

if (Environment.GetEnvironmentVariable("ACK_FLOOR_MODE") == "slack-stub")
{
    // Not the floor: a stand-in for Slack's Web API that the bot under test calls at start (auth.test) and after
    // commands; every method answers ok. It runs as its own process so the floor itself does nothing extra.
    app.MapPost("/api/{method}", (string method) => Results.Json(new { ok = true, user_id = "UBENCHBOT", bot_id = "BBENCH", team_id = "TBENCH", ts = "1700000000.000100", channel = new { id = "CBENCH" }, channel_id = "CBENCH" }));
    app.Run();
    return;
}

app.MapPost("/slack/commands", async (HttpRequest request) =>
{
    var body = await VerifiedBodyAsync(request, key);
    if (body is null)
    {
        return Results.Unauthorized();
    }

    var form = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body));
    return Results.Json(new { response_type = "ephemeral", text = $"{form["command"]} {form["text"]}: received" });
});

app.MapPost("/slack/interactions", async (HttpRequest request) =>
{
    var body = await VerifiedBodyAsync(request, key);
    if (body is null)
    {
        return Results.Unauthorized();
    }

    var form = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body));
    using var payload = System.Text.Json.JsonDocument.Parse(form["payload"].ToString());
    var action = payload.RootElement.GetProperty("actions")[0].GetProperty("value").GetString();
    return Results.Json(new { text = $"{action}: received" });
});

app.Run();

static async Task<byte[]?> VerifiedBodyAsync(HttpRequest request, byte[] key)
{
    var timestamp = request.Headers["X-Slack-Request-Timestamp"].ToString();
    var signature = request.Headers["X-Slack-Signature"].ToString();
    if (!long.TryParse(timestamp, out var seconds) || Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - seconds) > 300)
    {
        return null;
    }

    var result = await request.BodyReader.ReadAtLeastAsync(16 * 1024);
    while (!result.IsCompleted)
    {
        request.BodyReader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        result = await request.BodyReader.ReadAsync();
    }

    var body = result.Buffer.ToArray();
    request.BodyReader.AdvanceTo(result.Buffer.End);
    var message = Encoding.UTF8.GetBytes($"v0:{timestamp}:").Concat(body).ToArray();
    var expected = Encoding.ASCII.GetBytes("v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(key, message)));
    return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature)) ? body : null;
}
