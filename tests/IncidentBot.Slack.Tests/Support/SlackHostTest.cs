namespace IncidentBot.Slack.Tests.Support;

/// <summary>A test class that drives the real host against a fresh Slack Web API emulator, started and stopped per test.</summary>
public abstract class SlackHostTest : IAsyncLifetime
{
    protected SlackEmulator Slack { get; private set; } = null!;

    protected TestBot Bot { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Slack = await SlackEmulator.StartAsync();
        Bot = await TestBot.StartAsync(Slack);
    }

    public async Task DisposeAsync()
    {
        await Bot.DisposeAsync();
        await Slack.DisposeAsync();
    }
}
