using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace IncidentBot.Sandbox;

/// <summary>Clerk's JSON shapes (components/schemas User, EmailAddress, Session, JWKS of the 2026-05-12 spec).</summary>
public static class SandboxJson
{
    private static readonly Lazy<JsonObject> Key = new(() =>
    {
        using var rsa = RSA.Create(2048);
        var p = rsa.ExportParameters(false);
        return new JsonObject
        {
            ["use"] = "sig",
            ["kty"] = "RSA",
            ["kid"] = "ins_2drillsandbox000000000000",
            ["alg"] = "RS256",
            ["n"] = Base64Url(p.Modulus!),
            ["e"] = Base64Url(p.Exponent!),
        };
    });

    public static JsonObject Jwks() => new() { ["keys"] = new JsonArray(Key.Value.DeepClone()) };

    public static JsonObject User(SandboxUser u) => new()
    {
        ["id"] = u.Id,
        ["object"] = "user",
        ["external_id"] = null,
        ["primary_email_address_id"] = u.PrimaryEmailId,
        ["primary_phone_number_id"] = null,
        ["primary_web3_wallet_id"] = null,
        ["username"] = null,
        ["first_name"] = u.FirstName,
        ["last_name"] = u.LastName,
        ["locale"] = null,
        ["image_url"] = "https://img.clerk.com/placeholder",
        ["has_image"] = false,
        ["public_metadata"] = new JsonObject(),
        ["private_metadata"] = new JsonObject(),
        ["unsafe_metadata"] = new JsonObject(),
        ["email_addresses"] = new JsonArray(u.Emails.Select(e => (JsonNode)Email(e, u)).ToArray()),
        ["phone_numbers"] = new JsonArray(),
        ["web3_wallets"] = new JsonArray(),
        ["passkeys"] = new JsonArray(),
        ["password_enabled"] = true,
        ["two_factor_enabled"] = false,
        ["totp_enabled"] = false,
        ["backup_code_enabled"] = false,
        ["mfa_enabled_at"] = null,
        ["mfa_disabled_at"] = null,
        ["password_last_updated_at"] = u.CreatedAt,
        ["external_accounts"] = new JsonArray(),
        ["saml_accounts"] = new JsonArray(),
        ["enterprise_accounts"] = new JsonArray(),
        ["last_sign_in_at"] = u.LastSignInAt,
        ["banned"] = u.Banned,
        ["locked"] = u.Locked,
        ["lockout_expires_in_seconds"] = u.Locked ? 1800 : null,
        ["verification_attempts_remaining"] = u.Locked ? 0 : 100,
        ["created_at"] = u.CreatedAt,
        ["updated_at"] = u.UpdatedAt,
        ["delete_self_enabled"] = true,
        ["create_organization_enabled"] = true,
        ["last_active_at"] = u.LastActiveAt,
        ["legal_accepted_at"] = null,
    };

    private static JsonObject Email(SandboxEmail e, SandboxUser u) => new()
    {
        ["id"] = e.Id,
        ["object"] = "email_address",
        ["email_address"] = e.Address,
        ["reserved"] = false,
        ["verification"] = new JsonObject
        {
            ["object"] = "verification_otp",
            ["status"] = "verified",
            ["strategy"] = "email_code",
            ["attempts"] = 1,
            ["expire_at"] = u.CreatedAt + 600_000,
        },
        ["linked_to"] = new JsonArray(),
        ["matches_sso_connection"] = false,
        ["created_at"] = u.CreatedAt,
        ["updated_at"] = u.CreatedAt,
    };

    public static JsonObject Session(SandboxSession s) => new()
    {
        ["object"] = "session",
        ["id"] = s.Id,
        ["user_id"] = s.UserId,
        ["client_id"] = s.ClientId,
        ["actor"] = null,
        ["status"] = s.Status,
        ["last_active_organization_id"] = null,
        ["last_active_at"] = s.LastActiveAt,
        ["latest_activity"] = new JsonObject
        {
            ["object"] = "session_activity",
            ["id"] = "sess_activity_" + s.Id[5..],
            ["device_type"] = s.Suspicious ? "Linux" : "Macintosh",
            ["is_mobile"] = false,
            ["browser_name"] = s.Browser,
            ["browser_version"] = "131.0.0.0",
            ["ip_address"] = s.IpAddress,
            ["city"] = s.City,
            ["country"] = s.Country,
        },
        ["expire_at"] = s.CreatedAt + 604_800_000,
        ["abandon_at"] = s.CreatedAt + 2_592_000_000,
        ["updated_at"] = s.UpdatedAt,
        ["created_at"] = s.CreatedAt,
        ["tasks"] = null,
    };

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
