using IncidentBot.Core.Incidents;
using IncidentBot.Slack.Outbound;

namespace IncidentBot.Slack.Tests.Outbound;

public sealed class ChannelNamesTests
{
    private static readonly Incident Incident = new()
    {
        Id = "INC-12",
        Number = 12,
        Title = "Users CANNOT sign in (Clerk 503s) — café!",
        DeclaredAt = new DateTimeOffset(2026, 11, 28, 23, 59, 0, TimeSpan.Zero),
    };

    [Theory]
    [InlineData("inc-{date}-{title}", "inc-20261128-users-cannot-sign-in-clerk-503s-cafe")]
    [InlineData("{id}-{title}", "inc-12-users-cannot-sign-in-clerk-503s-cafe")]
    [InlineData("incident_{number}", "incident_12")]
    public void NamesFollowThePatternAndSlacksRules(string pattern, string expected)
    {
        Assert.Equal(expected, ChannelNames.For(pattern, Incident));
    }

    [Fact]
    public void NamesAreAtMost80CharactersAlsoWithASuffix()
    {
        var name = ChannelNames.For("inc-{title}", new Incident { Title = string.Concat(Enumerable.Repeat("very long title ", 20)) });

        Assert.True(name.Length <= 80);
        Assert.Matches("^[a-z0-9_-]+$", name);
        var second = ChannelNames.Alternative(name, 2);
        Assert.True(second.Length <= 80);
        Assert.EndsWith("-2", second, StringComparison.Ordinal);
    }
}
