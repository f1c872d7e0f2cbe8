using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IncidentBot.Teams.Auth;

/// <summary>What a verified inbound token says: the key that signed it may sign for these channels; the token names this service URL.</summary>
public sealed record ConnectorIdentity(IReadOnlyList<string> Endorsements, string? ServiceUrl);

/// <summary>A refused token, with the reason for the log (never the token itself).</summary>
public sealed class ConnectorAuthException(string reason) : Exception(reason);

/// <summary>
/// Checks the Bot Connector's JWT as the Bot Framework's authentication doc lists: Bearer scheme, RS256/384/512
/// signature by a key from the OpenID metadata, issuer, audience = our app id, lifetime with a small skew. The
/// endorsement and service URL checks need the activity: see <see cref="Check"/>.
/// </summary>
public sealed class ConnectorTokenValidator(ConnectorKeys keys, IOptions<TeamsOptions> options, TimeProvider time)
{
    private static readonly string[] Algorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512];
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    public async Task<ConnectorIdentity> ValidateAsync(string? authorization, CancellationToken cancellationToken)
    {
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            throw new ConnectorAuthException("no Bearer token");
        }

        var raw = authorization["Bearer ".Length..].Trim();
        JsonWebToken token;
        try
        {
            token = _handler.ReadJsonWebToken(raw);
        }
        catch (ArgumentException)
        {
            throw new ConnectorAuthException("not a well-formed JWT");
        }

        if (!Algorithms.Contains(token.Alg, StringComparer.Ordinal))
        {
            throw new ConnectorAuthException($"algorithm '{token.Alg}' is not allowed (RS256, RS384, RS512 only)");
        }

        if (token.Kid is not { Length: > 0 } kid)
        {
            throw new ConnectorAuthException("the token names no signing key");
        }

        var key = await keys.FindAsync(kid, cancellationToken) ?? throw new ConnectorAuthException($"unknown signing key '{kid}'");
        var settings = options.Value;
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = TeamsOptions.BotFrameworkIssuer,
            ValidAudience = settings.AppId,
            IssuerSigningKey = key.Key,
            ValidAlgorithms = Algorithms,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = false, // a JWK has no certificate to check; the key comes from the metadata
            ValidateLifetime = false, // checked below against the injected clock
            RequireExpirationTime = true,
            TryAllIssuerSigningKeys = false,
        };
        var result = await _handler.ValidateTokenAsync(raw, parameters);
        if (!result.IsValid)
        {
            throw new ConnectorAuthException(Reason(result.Exception));
        }

        CheckLifetime(token, TimeSpan.FromSeconds(settings.ClockSkewSeconds));
        var serviceUrl = token.TryGetPayloadValue<string>("serviceurl", out var url) ? url : null;
        return new ConnectorIdentity(key.Endorsements, serviceUrl);
    }

    /// <summary>The checks that need the activity: the key endorses its channel, and the token names its service URL.</summary>
    public static void Check(ConnectorIdentity identity, string? channelId, string? serviceUrl)
    {
        if (channelId is not { Length: > 0 } || !identity.Endorsements.Contains(channelId, StringComparer.Ordinal))
        {
            throw new ConnectorAuthException($"the signing key is not endorsed for channel '{channelId}'");
        }

        if (identity.ServiceUrl is null || serviceUrl is null || !string.Equals(identity.ServiceUrl, serviceUrl, StringComparison.OrdinalIgnoreCase))
        {
            throw new ConnectorAuthException("the token's serviceurl claim does not match the activity's serviceUrl");
        }
    }

    private void CheckLifetime(JsonWebToken token, TimeSpan skew)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (token.ValidTo == DateTime.MinValue || now > token.ValidTo + skew)
        {
            throw new ConnectorAuthException("the token has expired");
        }

        if (token.ValidFrom != DateTime.MinValue && now < token.ValidFrom - skew)
        {
            throw new ConnectorAuthException("the token is not valid yet");
        }
    }

    private static string Reason(Exception? e) => e switch
    {
        SecurityTokenInvalidAudienceException => "wrong audience (not this bot's app id)",
        SecurityTokenInvalidIssuerException => "wrong issuer",
        SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException => "bad signature",
        SecurityTokenInvalidAlgorithmException => "algorithm not allowed",
        SecurityTokenNoExpirationException => "the token has no expiry",
        null => "invalid token",
        _ => e.GetType().Name,
    };
}
