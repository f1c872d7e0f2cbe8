using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IncidentBot.Slack.Inbound;

/// <summary>Reads a request from Slack: the raw body first, verified against its signature, and only then parsed.</summary>
public sealed class SlackRequestReader(IOptions<SlackOptions> options, TimeProvider time, ILogger<SlackRequestReader> log)
{
    /// <summary>The raw body if the request is signed by Slack, else null (the refusal is logged without the secret).</summary>
    public async Task<byte[]?> ReadVerifiedAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        var body = buffer.ToArray();
        var problem = SlackSignature.Problem(
            options.Value.SigningSecret,
            request.Headers["X-Slack-Request-Timestamp"].FirstOrDefault(),
            request.Headers["X-Slack-Signature"].FirstOrDefault(),
            body,
            time.GetUtcNow(),
            TimeSpan.FromSeconds(options.Value.SignatureToleranceSeconds));
        if (problem is null)
        {
            return body;
        }

        log.LogWarning("Refused a request to {Path} that is not verifiably from Slack: {Problem}", request.Path.Value, problem);
        return null;
    }

    /// <summary>The form fields of a urlencoded body (<c>+</c> and <c>%20</c> both read as spaces), as JSON strings; null if it is not a form.</summary>
    public static JsonObject? Form(HttpRequest request, byte[] body)
    {
        if (!IsMedia(request, "application/x-www-form-urlencoded"))
        {
            return null;
        }

        var fields = new JsonObject();
        foreach (var (key, value) in QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body)))
        {
            fields[key] = value.ToString();
        }

        return fields;
    }

    public static JsonObject? Json(byte[] body)
    {
        try
        {
            return JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static JsonObject? Json(string? text) => text is null ? null : Json(Encoding.UTF8.GetBytes(text));

    public static int RetryNum(HttpRequest request) =>
        int.TryParse(request.Headers["X-Slack-Retry-Num"].FirstOrDefault(), out var n) ? n : 0;

    private static bool IsMedia(HttpRequest request, string mediaType) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed)
        && string.Equals(parsed.MediaType.Value, mediaType, StringComparison.OrdinalIgnoreCase);
}
