using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace IncidentBot.Slack.Inbound;

/// <summary>
/// Slack's request signing: <c>v0=</c> + hex HMAC-SHA256 of <c>v0:{timestamp}:{raw body}</c> keyed with the signing
/// secret, compared in constant time; a timestamp too far from now (either way) is refused as a replay.
/// </summary>
public static class SlackSignature
{
    // "v0=" + 64 hex digits: anything longer can't be genuine, and isn't worth hashing or comparing.
    private const int SignatureLength = 67;

    public static string Sign(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"v0:{timestamp}:");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message));
    }

    /// <summary>
    /// What can be checked from the headers alone, before a byte of the body is read: both present, the signature
    /// the right shape, the timestamp a number within the tolerance. Null when they pass, else why not.
    /// </summary>
    public static string? HeaderProblem(string? timestamp, string? signature, DateTimeOffset now, TimeSpan tolerance)
    {
        if (string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature))
        {
            return "missing X-Slack-Request-Timestamp or X-Slack-Signature";
        }

        if (signature.Length != SignatureLength || !signature.StartsWith("v0=", StringComparison.Ordinal))
        {
            return "malformed signature";
        }

        if (timestamp.Length > 19 || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return "malformed timestamp";
        }

        // Compared as a window around now, never as |now - timestamp|: that overflows for long.MinValue.
        var nowSeconds = now.ToUnixTimeSeconds();
        var slack = (long)tolerance.TotalSeconds;
        if (seconds < nowSeconds - slack || seconds > nowSeconds + slack)
        {
            return $"timestamp {seconds} is more than {slack} s away from now ({nowSeconds})";
        }

        return null;
    }

    /// <summary>Null when the request is genuine, else why it is refused (never containing the secret).</summary>
    public static string? Problem(string secret, string? timestamp, string? signature, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (HeaderProblem(timestamp, signature, now, tolerance) is { } problem)
        {
            return problem;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(secret, timestamp!, body));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature!)) ? null : "signature mismatch";
    }
}
