using System.Net;
using System.Text.Json.Nodes;
using IncidentBot.Teams.Storage;
using IncidentBot.Teams.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Teams.Tests.Auth;

/// <summary>
/// POST /api/messages checks the Bot Connector's token before anything else; each way a token can be wrong is refused
/// with 401 by its own test, logged with the reason and never the token, and nothing of the activity is acted on.
/// </summary>
public sealed class InboundAuthTests : TeamsHostTest
{
    [Fact]
    public async Task ATokenTheConnectorWouldSendIsAcceptedAndTheCommandAnswered()
    {
        var activity = Incoming.Personal(Connector, "help", Some.Alice);

        var response = await Bot.PostAsync(activity);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reply = await Connector.WhenCalledAsync("Conversations_ReplyToActivity");
        Assert.Equal(Incoming.PersonalChat(Some.Alice), reply.ConversationId);
        Assert.Contains("declare", reply.Said, StringComparison.Ordinal);
        Assert.Empty(Connector.Violations);
    }

    [Fact]
    public async Task AnExpiredTokenIsRefused() =>
        await RefusedAsync(Mint(new TokenSpec { IssuedAgo = TimeSpan.FromHours(2), ExpiresIn = TimeSpan.FromHours(1) }), "expired");

    [Fact]
    public async Task ATokenExpiredByLessThanTheClockSkewIsStillAccepted()
    {
        var activity = Incoming.Personal(Connector, "help", Some.Alice);
        var token = Mint(new TokenSpec { ServiceUrl = Connector.ServiceUrl, IssuedAgo = TimeSpan.FromMinutes(62), ExpiresIn = TimeSpan.FromHours(1) });

        Assert.Equal(HttpStatusCode.OK, (await Bot.PostAsync(activity, token)).StatusCode);
    }

    [Fact]
    public async Task ATokenForAnotherBotIsRefused() =>
        await RefusedAsync(Mint(new TokenSpec { Audience = "11111111-2222-3333-4444-555555555555" }), "wrong audience");

    [Fact]
    public async Task ATokenFromAnotherIssuerIsRefused() =>
        await RefusedAsync(Mint(new TokenSpec { Issuer = "https://sts.windows.net/" + Some.TenantId + "/" }), "wrong issuer");

    [Fact]
    public async Task ATokenSignedByAKeyNotEndorsedForTeamsIsRefused() =>
        await RefusedAsync(Mint(new TokenSpec { Kid = TokenIssuer.SlackOnlyKey }), "not endorsed for channel 'msteams'");

    [Fact]
    public async Task ATokenForAnotherServiceUrlIsRefused() =>
        await RefusedAsync(Issuer.Mint(new TokenSpec { ServiceUrl = "https://smba.trafficmanager.net/amer/" + Some.TenantId + "/" }, Bot.Time.GetUtcNow()), "serviceurl");

    [Fact]
    public async Task ATokenWithoutAServiceUrlClaimIsRefused() =>
        await RefusedAsync(Issuer.Mint(new TokenSpec { ServiceUrl = null }, Bot.Time.GetUtcNow()), "serviceurl");

    [Fact]
    public async Task AnUnsignedTokenWithAlgNoneIsRefused() =>
        await RefusedAsync(TokenIssuer.Unsigned(new TokenSpec { ServiceUrl = Connector.ServiceUrl }, Bot.Time.GetUtcNow()), "algorithm 'none'");

    [Fact]
    public async Task AnHs256TokenSignedWithThePublicKeyIsRefused() =>
        await RefusedAsync(Issuer.SignedWithPublicKeyAsHmac(new TokenSpec { ServiceUrl = Connector.ServiceUrl }, Bot.Time.GetUtcNow()), "algorithm 'HS256'");

    [Fact]
    public async Task ATokenSignedByAnUnknownKeyIsRefused() =>
        await RefusedAsync(Mint(new TokenSpec { Kid = "stranger" }), "unknown signing key 'stranger'");

    [Fact]
    public async Task ARequestWithoutATokenIsRefused()
    {
        var activity = Incoming.Personal(Connector, "declare auth-outage sev1 Nobody signed this", Some.Alice);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages") { Content = new StringContent(activity.ToJsonString(), System.Text.Encoding.UTF8, new System.Net.Http.Headers.MediaTypeHeaderValue("application/json")) };

        Assert.Equal(HttpStatusCode.Unauthorized, (await Bot.Http.SendAsync(request)).StatusCode);
        Assert.Empty(Bot.Incidents.List(openOnly: false));
    }

    [Fact]
    public async Task SomethingThatIsNotAJwtIsRefused() =>
        await RefusedAsync("garbage.token-xyz", "not a well-formed JWT");

    [Fact]
    public async Task KeysAreCachedAndAnUnknownKeyFetchesThemAgainAtMostOncePerFloor()
    {
        await AcceptedAsync(TokenIssuer.TeamsKey);
        await AcceptedAsync(TokenIssuer.TeamsKey);
        Assert.Equal(1, Issuer.MetadataFetches);

        // The Connector rolls a new key just after the bot fetched the keys: refused until the floor has passed, not refetched per request.
        Issuer.AddKey("rotated");
        Assert.Equal(HttpStatusCode.Unauthorized, (await Bot.PostAsync(Incoming.Personal(Connector, "help", Some.Alice), Mint(new TokenSpec { Kid = "rotated", ServiceUrl = Connector.ServiceUrl }))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Bot.PostAsync(Incoming.Personal(Connector, "help", Some.Alice), Mint(new TokenSpec { Kid = "rotated", ServiceUrl = Connector.ServiceUrl }))).StatusCode);
        Assert.Equal(1, Issuer.MetadataFetches);

        Bot.Time.Advance(TimeSpan.FromMinutes(5));
        await AcceptedAsync("rotated");
        Assert.Equal(2, Issuer.MetadataFetches);

        // Forged key ids can't make the bot hammer the metadata URL.
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await Bot.PostAsync(Incoming.Personal(Connector, "help", Some.Alice), Mint(new TokenSpec { Kid = $"forged-{i}", ServiceUrl = Connector.ServiceUrl }))).StatusCode);
        }

        Assert.Equal(2, Issuer.MetadataFetches);

        // After a day the cache is stale and the keys are fetched again.
        Bot.Time.Advance(TimeSpan.FromHours(24));
        await AcceptedAsync(TokenIssuer.TeamsKey);
        Assert.Equal(3, Issuer.MetadataFetches);
    }

    private async Task AcceptedAsync(string kid)
    {
        var response = await Bot.PostAsync(Incoming.Personal(Connector, "help", Some.Alice), Mint(new TokenSpec { Kid = kid, ServiceUrl = Connector.ServiceUrl }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>A token for the test's service URL unless the spec names another.</summary>
    private string Mint(TokenSpec spec) => Issuer.Mint(spec.ServiceUrl is null ? spec with { ServiceUrl = Connector.ServiceUrl } : spec, Bot.Time.GetUtcNow());

    private async Task RefusedAsync(string token, string reason)
    {
        var activity = Incoming.Personal(Connector, "declare auth-outage sev1 Forged declaration", Some.Alice);

        var response = await Bot.PostAsync(activity, token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(Bot.Incidents.List(openOnly: false));
        Assert.Null(Bot.Services.GetRequiredService<TeamsStore>().User(Some.Alice.Mri));
        Assert.Empty(Connector.Calls);
        Assert.Contains(Bot.Log.Lines, l => l.Contains("Refused a request to /api/messages", StringComparison.Ordinal) && l.Contains(reason, StringComparison.Ordinal));
        Assert.All(Bot.Log.Lines, l => Assert.DoesNotContain(token.Split('.')[0], l, StringComparison.Ordinal));
        Assert.All(Bot.Log.Lines, l => Assert.DoesNotContain(Some.AppPassword, l, StringComparison.Ordinal));
    }
}
