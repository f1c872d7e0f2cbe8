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
    // Not the floor: a stand-in for Slack's Web API that the bot under test calls (auth.test at start, then the
    // channel, message and file calls that commands and presses cause). Every method answers ok, in the shape the bot
    // reads (chat.* names the channel by id, conversations.* gives a channel object; each created channel has its own
    // id). It runs as its own process so the floor itself does nothing extra. GET /calls counts the calls by method.
    var calls = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
    var channels = 0L;
    var messages = 0L;
    var created = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
    app.MapGet("/calls", () => Results.Json(calls));
    app.MapGet("/channels", () => Results.Json(created)); // the channels the bot created: name -> id
    app.MapPost("/upload", () => Results.Text("OK - 1"));
    app.MapPost("/response", () => Results.Ok());
    app.MapPost("/api/{method}", async (string method, HttpRequest request) =>
    {
        calls.AddOrUpdate(method, 1, (_, n) => n + 1);
        var ts = $"1700000000.{Interlocked.Increment(ref messages) % 1_000_000:D6}";
        return method switch
        {
            "auth.test" => Results.Json(new { ok = true, user_id = "UBENCHBOT", bot_id = "BBENCH", team_id = "TBENCH", team = "bench", user = "incidentbot" }),
            "conversations.create" => await CreateAsync(request),
            _ when method.StartsWith("conversations.", StringComparison.Ordinal) => Results.Json(new { ok = true, channel = new { id = "CBENCH", name = "bench" } }),
            _ when method.StartsWith("chat.", StringComparison.Ordinal) => Results.Json(new { ok = true, channel = "CBENCH", ts, message_ts = ts }),
            "users.info" or "users.lookupByEmail" => Results.Json(new { ok = true, user = new { id = "UBENCH0", name = "alice", real_name = "Alice", profile = new { display_name = "alice", real_name = "Alice" } } }),
            "files.getUploadURLExternal" => Results.Json(new { ok = true, upload_url = $"http://{request.Host}/upload", file_id = "FBENCH" }),
            "files.completeUploadExternal" => Results.Json(new { ok = true, files = new[] { new { id = "FBENCH", title = "report" } } }),
            _ => Results.Json(new { ok = true }),
        };
    });

    async Task<IResult> CreateAsync(HttpRequest request)
    {
        using var body = await System.Text.Json.JsonDocument.ParseAsync(request.Body);
        var name = body.RootElement.TryGetProperty("name", out var n) ? n.GetString() ?? "inc" : "inc";
        var id = $"CINC{Interlocked.Increment(ref channels):D6}";
        created[name] = id;
        return Results.Json(new { ok = true, channel = new { id, name } });
    }
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
