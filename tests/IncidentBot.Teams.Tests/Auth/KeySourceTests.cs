using System.Net;
using IncidentBot.Teams.Tests.Support;

namespace IncidentBot.Teams.Tests.Auth;

/// <summary>When the Bot Connector's keys can't be read, every request is refused (never let through) and the bot keeps running.</summary>
public sealed class KeySourceTests : IAsyncLifetime
{
    private TokenIssuer _issuer = null!;
    private ConnectorEmulator _connector = null!;
    private TestBot _bot = null!;

    public async Task InitializeAsync()
    {
        _issuer = await TokenIssuer.StartAsync();
        _connector = await ConnectorEmulator.StartAsync();
        // Nothing listens on the discard port: the metadata can't be fetched.
        _bot = await TestBot.StartAsync(_issuer, _connector, new() { ["Teams:OpenIdMetadataUrl"] = "http://127.0.0.1:9/v1/.well-known/openidconfiguration" });
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _connector.DisposeAsync();
        await _issuer.DisposeAsync();
    }

    [Fact]
    public async Task UnreachableMetadataRefusesEveryRequestAndSaysWhy()
    {
        var response = await _bot.PostAsync(Incoming.Personal(_connector, "declare auth-outage sev1 x", Some.Alice));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(_bot.Log.Lines, l => l.Contains("Could not fetch the Bot Connector's signing keys", StringComparison.Ordinal));
        Assert.Empty(_bot.Incidents.List(openOnly: false));
        Assert.Equal(HttpStatusCode.OK, (await _bot.Http.GetAsync("/healthz")).StatusCode);
    }
}
