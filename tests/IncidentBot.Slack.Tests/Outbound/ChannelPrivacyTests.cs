using IncidentBot.Slack.Tests.Support;

namespace IncidentBot.Slack.Tests.Outbound;

/// <summary>The incident's category decides whether its channel is private: security by default, others public.</summary>
public sealed class ChannelPrivacyTests : IAsyncLifetime
{
    private SlackEmulator _slack = null!;

    public async Task InitializeAsync() => _slack = await SlackEmulator.StartAsync();

    public Task DisposeAsync() => _slack.DisposeAsync().AsTask();

    [Theory]
    [InlineData("security", "true")]
    [InlineData("auth-outage", "false")]
    public async Task ByDefaultSecurityIncidentsGetAPrivateChannelAndOthersAPublicOne(string category, string isPrivate)
    {
        await using var bot = await TestBot.StartAsync(_slack);

        await bot.CommandAsync(Payloads.SlashCommand($"declare {category} sev2 Something happened"));
        var create = await _slack.WhenCalledAsync("conversations.create");

        Assert.Equal(isPrivate, create.Arg("is_private"));
        Assert.Empty(_slack.Violations);
    }

    [Fact]
    public async Task EachCategoryCanBeSetEitherWay()
    {
        await using var bot = await TestBot.StartAsync(_slack, new() { ["Slack:ChannelVisibility:security"] = "public", ["Slack:ChannelVisibility:auth-outage"] = "private" });

        await bot.CommandAsync(Payloads.SlashCommand("declare security sev2 Leaked key"));
        await _slack.WhenCalledAsync("conversations.create");
        await bot.CommandAsync(Payloads.SlashCommand("declare auth-outage sev2 Users cannot sign in"));
        await _slack.WhenCalledAsync("conversations.create", 2);

        Assert.Equal(["false", "true"], _slack.CallsTo("conversations.create").Select(c => c.Arg("is_private")));
    }
}
