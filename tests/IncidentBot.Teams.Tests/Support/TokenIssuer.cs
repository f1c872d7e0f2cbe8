using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IncidentBot.Teams.Tests.Support;

/// <summary>What goes into a test token; the defaults make a token the bot must accept.</summary>
public sealed record TokenSpec
{
    public string Issuer { get; init; } = TeamsOptions.BotFrameworkIssuer;

    public string Audience { get; init; } = Some.AppId;

    public string? ServiceUrl { get; init; }

    public string Kid { get; init; } = TokenIssuer.TeamsKey;

    public TimeSpan ExpiresIn { get; init; } = TimeSpan.FromHours(1);

    public TimeSpan IssuedAgo { get; init; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// The Bot Connector's side of inbound auth on 127.0.0.1: OpenID metadata (/v1/.well-known/openidconfiguration) and
/// its JWKS (/v1/.well-known/keys) with per-key endorsements, and tokens minted with those keys, as the Connector signs them.
/// </summary>
public sealed class TokenIssuer : IAsyncDisposable
{
    /// <summary>Endorsed for msteams.</summary>
    public const string TeamsKey = "teams-key";

    /// <summary>Published, but endorsed only for another channel.</summary>
    public const string SlackOnlyKey = "slack-only-key";

    private readonly WebApplication _app;
    private readonly Dictionary<string, RSA> _keys = new(StringComparer.Ordinal)
    {
        [TeamsKey] = SharedKeys[0],
        [SlackOnlyKey] = SharedKeys[1],
    };

    // Generating RSA keys is slow on a busy machine: every test shares these (the third signs "unknown" tokens).
    private static readonly RSA[] SharedKeys = [RSA.Create(2048), RSA.Create(2048), RSA.Create(2048)];

    private readonly Dictionary<string, string[]> _endorsements = new(StringComparer.Ordinal)
    {
        [TeamsKey] = ["msteams", "webchat"],
        [SlackOnlyKey] = ["slack"],
    };

    private int _metadataFetches;

    private TokenIssuer(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    public string MetadataUrl => BaseUrl + "/v1/.well-known/openidconfiguration";

    public int MetadataFetches => _metadataFetches;

    public static async Task<TokenIssuer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var issuer = new TokenIssuer(app);
        app.MapGet("/v1/.well-known/openidconfiguration", () =>
        {
            Interlocked.Increment(ref issuer._metadataFetches);
            return Results.Json(new JsonObject
            {
                ["issuer"] = TeamsOptions.BotFrameworkIssuer,
                ["authorization_endpoint"] = "https://invalid.botframework.com",
                ["jwks_uri"] = issuer.BaseUrl + "/v1/.well-known/keys",
                ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
                ["token_endpoint_auth_methods_supported"] = new JsonArray("private_key_jwt"),
            });
        });
        app.MapGet("/v1/.well-known/keys", () => Results.Json(issuer.Jwks()));
        await app.StartAsync();
        issuer.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return issuer;
    }

    /// <summary>Publishes another key (a key rotation); it signs for msteams.</summary>
    public void AddKey(string kid)
    {
        lock (_keys)
        {
            _keys[kid] = RSA.Create(2048);
            _endorsements[kid] = ["msteams"];
        }
    }

    /// <summary>A token signed RS256 by the key <see cref="TokenSpec.Kid"/> (a key the issuer doesn't publish is made up on the spot).</summary>
    public string Mint(TokenSpec spec, DateTimeOffset now)
    {
        RSA rsa;
        lock (_keys)
        {
            rsa = _keys.TryGetValue(spec.Kid, out var known) ? known : SharedKeys[2];
        }

        var credentials = new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = spec.Kid }, SecurityAlgorithms.RsaSha256);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(Descriptor(spec, now, credentials));
    }

    /// <summary>A token whose header says alg none, with no signature.</summary>
    public static string Unsigned(TokenSpec spec, DateTimeOffset now)
    {
        var header = new JsonObject { ["alg"] = "none", ["typ"] = "JWT", ["kid"] = spec.Kid };
        return $"{B64(header.ToJsonString())}.{B64(Payload(spec, now).ToJsonString())}.";
    }

    /// <summary>The classic key-confusion forgery: HS256 with the issuer's public key (which anyone can download) as the HMAC secret.</summary>
    public string SignedWithPublicKeyAsHmac(TokenSpec spec, DateTimeOffset now)
    {
        byte[] secret;
        lock (_keys)
        {
            secret = _keys[spec.Kid].ExportSubjectPublicKeyInfo();
        }

        var credentials = new SigningCredentials(new SymmetricSecurityKey(secret) { KeyId = spec.Kid }, SecurityAlgorithms.HmacSha256);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(Descriptor(spec, now, credentials));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private JsonObject Jwks()
    {
        lock (_keys)
        {
            return new JsonObject
            {
                ["keys"] = new JsonArray(_keys.Select(k =>
                {
                    var p = k.Value.ExportParameters(false);
                    return (JsonNode)new JsonObject
                    {
                        ["kty"] = "RSA",
                        ["use"] = "sig",
                        ["kid"] = k.Key,
                        ["n"] = Base64UrlEncoder.Encode(p.Modulus),
                        ["e"] = Base64UrlEncoder.Encode(p.Exponent),
                        ["endorsements"] = new JsonArray(_endorsements[k.Key].Select(e => (JsonNode)JsonValue.Create(e)!).ToArray()),
                    };
                }).ToArray()),
            };
        }
    }

    private static SecurityTokenDescriptor Descriptor(TokenSpec spec, DateTimeOffset now, SigningCredentials credentials)
    {
        var claims = new Dictionary<string, object>();
        if (spec.ServiceUrl is not null)
        {
            claims["serviceurl"] = spec.ServiceUrl;
        }

        return new SecurityTokenDescriptor
        {
            Issuer = spec.Issuer,
            Audience = spec.Audience,
            IssuedAt = (now - spec.IssuedAgo).UtcDateTime,
            NotBefore = (now - spec.IssuedAgo).UtcDateTime,
            Expires = (now - spec.IssuedAgo + spec.ExpiresIn).UtcDateTime,
            Claims = claims,
            SigningCredentials = credentials,
        };
    }

    private static JsonObject Payload(TokenSpec spec, DateTimeOffset now) => new()
    {
        ["iss"] = spec.Issuer,
        ["aud"] = spec.Audience,
        ["serviceurl"] = spec.ServiceUrl,
        ["nbf"] = (now - spec.IssuedAgo).ToUnixTimeSeconds(),
        ["exp"] = (now - spec.IssuedAgo + spec.ExpiresIn).ToUnixTimeSeconds(),
    };

    private static string B64(string text) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(text));
}
