using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IncidentBot.Slack.Inbound;

/// <summary>A request's raw body once it is verified as Slack's, or the status and reason it was refused with.</summary>
public sealed record SlackBody(byte[]? Bytes, int Status, string Problem)
{
    public static SlackBody Verified(byte[] bytes) => new(bytes, StatusCodes.Status200OK, "");

    public static SlackBody Refused(int status, string problem) => new(null, status, problem);
}

/// <summary>
/// Reads a request from Slack in the order that keeps a stranger from costing memory: the signature headers and the
/// timestamp first (no body is read without them), then the declared length against the endpoint's limit, then at most
/// that many bytes, and only then the signature over those exact bytes. Parsing comes after all of it.
/// </summary>
public sealed class SlackRequestReader(IOptions<SlackOptions> options, TimeProvider time, ILogger<SlackRequestReader> log)
{
    /// <summary>The raw body if the request is signed by Slack and no bigger than <paramref name="maxBytes"/>; else why not (logged without the secret).</summary>
    public async Task<SlackBody> ReadVerifiedAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        var timestamp = request.Headers["X-Slack-Request-Timestamp"].FirstOrDefault();
        var signature = request.Headers["X-Slack-Signature"].FirstOrDefault();
        var tolerance = TimeSpan.FromSeconds(options.Value.SignatureToleranceSeconds);
        if (SlackSignature.HeaderProblem(timestamp, signature, time.GetUtcNow(), tolerance) is { } headerProblem)
        {
            return Unverified(request, headerProblem);
        }

        if (request.ContentLength > maxBytes)
        {
            return TooLarge(request, $"{request.ContentLength} bytes declared", maxBytes);
        }

        var body = await ReadAtMostAsync(request, maxBytes, cancellationToken);
        if (body is null)
        {
            return TooLarge(request, "more bytes sent", maxBytes);
        }

        if (SlackSignature.Problem(options.Value.SigningSecret, timestamp, signature, body, time.GetUtcNow(), tolerance) is { } problem)
        {
            return Unverified(request, problem);
        }

        return SlackBody.Verified(body);
    }

    /// <summary>The form fields of a urlencoded body (<c>+</c> and <c>%20</c> both read as spaces), as JSON strings; null if it is not a form.</summary>
    public static JsonObject? Form(HttpRequest request, byte[] body) =>
        IsMedia(request, "application/x-www-form-urlencoded") ? Form(body) : null;

    /// <summary>The form fields of a urlencoded body, as JSON strings made safe (<see cref="SlackText.Clean(string)"/>).</summary>
    public static JsonObject Form(byte[] body)
    {
        var fields = new JsonObject();
        foreach (var (key, value) in QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body)))
        {
            fields[SlackText.Clean(key)] = SlackText.Clean(value.ToString());
        }

        return fields;
    }

    /// <summary>A JSON object with every string made safe (<see cref="SlackText.ParseObject"/>); null for anything else.</summary>
    public static JsonObject? Json(byte[] body) => SlackText.ParseObject(body);

    public static JsonObject? Json(string? text) => text is null ? null : Json(Encoding.UTF8.GetBytes(text));

    public static int RetryNum(HttpRequest request) =>
        int.TryParse(request.Headers["X-Slack-Retry-Num"].FirstOrDefault(), out var n) && n >= 0 ? n : 0;

    /// <summary>The whole body, or null as soon as it passes <paramref name="maxBytes"/> (a chunked body declares no length).</summary>
    private static async Task<byte[]?> ReadAtMostAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(maxBytes + 1L, request.ContentLength + 1 ?? 16 * 1024));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(maxBytes + 1L, buffer.Length * 2L));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0)
                {
                    return buffer.AsSpan(0, length).ToArray();
                }

                length += read;
                if (length > maxBytes)
                {
                    return null;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private SlackBody Unverified(HttpRequest request, string problem)
    {
        log.LogWarning("Refused a request to {Path} that is not verifiably from Slack: {Problem}", request.Path.Value, problem);
        return SlackBody.Refused(StatusCodes.Status401Unauthorized, "Not verifiably from Slack: " + problem + ".");
    }

    private SlackBody TooLarge(HttpRequest request, string what, int maxBytes)
    {
        log.LogWarning("Refused a request to {Path}: {What}, over the limit of {Limit} bytes for it", request.Path.Value, what, maxBytes);
        return SlackBody.Refused(StatusCodes.Status413PayloadTooLarge, $"The body is over {maxBytes} bytes, the most this endpoint takes.");
    }

    private static bool IsMedia(HttpRequest request, string mediaType) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed)
        && string.Equals(parsed.MediaType.Value, mediaType, StringComparison.OrdinalIgnoreCase);
}
