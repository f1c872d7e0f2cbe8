namespace IncidentBot.Teams.Tests.Support;

/// <summary>A test class that drives the real host against a fresh token issuer and Connector emulator, per test.</summary>
public abstract class TeamsHostTest : IAsyncLifetime
{
    protected TokenIssuer Issuer { get; private set; } = null!;

    protected ConnectorEmulator Connector { get; private set; } = null!;

    protected TestBot Bot { get; private set; } = null!;

    protected virtual Dictionary<string, string?> Settings(ConnectorEmulator connector) => [];

    public async Task InitializeAsync()
    {
        Issuer = await TokenIssuer.StartAsync();
        Connector = await ConnectorEmulator.StartAsync();
        Bot = await TestBot.StartAsync(Issuer, Connector, Settings(Connector));
    }

    public async Task DisposeAsync()
    {
        await Bot.DisposeAsync();
        await Connector.DisposeAsync();
        await Issuer.DisposeAsync();
    }
}
