using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace IncidentBot.Scale;

/// <summary>Signed Slack requests to the bot under test (v0 signature, now), as Slack sends them: forms and event JSON.</summary>
public sealed class SignedSlack(string baseUrl, string secret, string responseUrl) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
    private long _serial = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() % 1_000_000_000;

    public long Next() => Interlocked.Increment(ref _serial);

    /// <summary>A slash command from roster person <paramref name="user"/>; the channel (unless given) and trigger_id are new each time, so no command is taken for a double submit.</summary>
    public Task<Answer> CommandAsync(string text, string user = "UBENCH0", string? channel = null, CancellationToken cancellationToken = default)
    {
        var n = Next();
        var body = Form(("token", "bench"), ("team_id", "TBENCH"), ("team_domain", "bench"), ("channel_id", channel ?? $"CS{n}"), ("channel_name", "bench"),
            ("user_id", user), ("user_name", user), ("command", "/incident"), ("text", text), ("api_app_id", "ABENCH"),
            ("response_url", responseUrl), ("trigger_id", $"{n}.1.bench"));
        return PostAsync("/slack/commands", body, "application/x-www-form-urlencoded", cancellationToken);
    }

    /// <summary>A block_actions press of a button whose value is <paramref name="value"/> (ButtonAction's encoding).</summary>
    public Task<Answer> PressAsync(string value, string label, string channel, string user = "UBENCH1", CancellationToken cancellationToken = default)
    {
        var n = Next();
        var ts = $"1764640000.{n % 1_000_000:D6}";
        var payload = new JsonObject
        {
            ["type"] = "block_actions",
            ["user"] = new JsonObject { ["id"] = user, ["username"] = user, ["name"] = user, ["team_id"] = "TBENCH" },
            ["api_app_id"] = "ABENCH",
            ["token"] = "bench",
            ["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = ts, ["channel_id"] = channel, ["is_ephemeral"] = false },
            ["trigger_id"] = $"{n}.2.bench",
            ["team"] = new JsonObject { ["id"] = "TBENCH", ["domain"] = "bench" },
            ["channel"] = new JsonObject { ["id"] = channel, ["name"] = "inc" },
            ["message"] = new JsonObject
            {
                ["type"] = "message", ["ts"] = ts, ["text"] = label,
                ["blocks"] = new JsonArray(
                    new JsonObject { ["type"] = "section", ["block_id"] = "text", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = label } },
                    new JsonObject { ["type"] = "actions", ["block_id"] = "buttons", ["elements"] = new JsonArray(new JsonObject { ["type"] = "button", ["action_id"] = "b", ["value"] = value, ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = label } }) }),
            },
            ["response_url"] = responseUrl,
            ["actions"] = new JsonArray(new JsonObject
            {
                ["action_id"] = "b", ["block_id"] = "buttons", ["type"] = "button", ["value"] = value,
                ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = label }, ["action_ts"] = $"{n}.000001",
            }),
        };
        return PostAsync("/slack/interactions", Form(("payload", payload.ToJsonString())), "application/x-www-form-urlencoded", cancellationToken);
    }

    /// <summary>A message posted in a channel (Events API event_callback), with its own event_id and ts.</summary>
    public Task<Answer> MessageAsync(string channel, string text, string user = "UBENCH2", CancellationToken cancellationToken = default)
    {
        var n = Next();
        var ts = $"{1764640000 + n / 1_000_000}.{n % 1_000_000:D6}";
        var body = new JsonObject
        {
            ["token"] = "bench", ["team_id"] = "TBENCH", ["api_app_id"] = "ABENCH", ["type"] = "event_callback",
            ["event_id"] = $"Ev{n}", ["event_time"] = 1764640000,
            ["event"] = new JsonObject { ["type"] = "message", ["channel"] = channel, ["user"] = user, ["text"] = text, ["ts"] = ts, ["event_ts"] = ts, ["channel_type"] = "channel" },
        };
        return PostAsync("/slack/events", body.ToJsonString(), "application/json", cancellationToken);
    }

    private async Task<Answer> PostAsync(string path, string body, string type, CancellationToken cancellationToken)
    {
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(type);
        request.Headers.Add("X-Slack-Request-Timestamp", ts);
        request.Headers.Add("X-Slack-Signature", "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"v0:{ts}:{body}"))));
        var clock = Stopwatch.StartNew();
        using var response = await _http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return new Answer((int)response.StatusCode, text, clock.Elapsed);
    }

    private static string Form(params (string Key, string Value)[] fields) =>
        string.Join('&', fields.Select(f => $"{Uri.EscapeDataString(f.Key)}={Uri.EscapeDataString(f.Value)}"));

    public void Dispose() => _http.Dispose();
}

public sealed record Answer(int Status, string Body, TimeSpan Took);
