using System.Security.Cryptography;
using System.Text;

namespace IncidentBot.Clerk.Webhooks;

/// <summary>
/// Svix's symmetric v1 scheme, as Clerk's webhooks use it: the key is the base64 after "whsec_"; the signature is
/// base64(HMAC-SHA256(key, "{svix-id}.{svix-timestamp}.{body}")), sent as "v1,&lt;signature&gt;".
/// </summary>
public static class SvixSignature
{
    private const string Prefix = "whsec_";

    public static string Sign(string secret, string messageId, DateTimeOffset at, string body)
    {
        var signed = Encoding.UTF8.GetBytes($"{messageId}.{at.ToUnixTimeSeconds()}.{body}");
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(Key(secret), signed));
    }

    /// <summary>Checks a svix-signature header (space-separated "v1,..." entries) in constant time, within 5 minutes of now.</summary>
    public static bool Verify(string secret, string messageId, string timestamp, string body, string signatureHeader, DateTimeOffset now)
    {
        if (!long.TryParse(timestamp, out var seconds) || Math.Abs(now.ToUnixTimeSeconds() - seconds) > 300)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(secret, messageId, DateTimeOffset.FromUnixTimeSeconds(seconds), body));
        return signatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(s => s.StartsWith("v1,", StringComparison.Ordinal))
            .Any(s => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s), expected));
    }

    public static bool IsWellFormed(string secret)
    {
        try
        {
            return Key(secret).Length > 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static byte[] Key(string secret) =>
        Convert.FromBase64String(secret.StartsWith(Prefix, StringComparison.Ordinal) ? secret[Prefix.Length..] : secret);
}
