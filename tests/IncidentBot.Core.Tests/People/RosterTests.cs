using IncidentBot.Core.People;

namespace IncidentBot.Core.Tests.People;

/// <summary>Issue 13, fail-open approval and borrowed names: an empty id is nobody, and identities, not display names, are compared.</summary>
public sealed class RosterTests
{
    // carol's TeamsId and Email are empty, as a roster bound from configuration can leave them.
    private static readonly RosterOptions Roster = new()
    {
        People =
        [
            new Person { Name = "alice", Role = "on-call", SlackId = "U0ALICE", TeamsId = null, Email = "alice@example.com" },
            new Person { Name = "bob", Role = "engineering-lead", SlackId = "U0BOB" },
            new Person { Name = "carol", Role = "cto", SlackId = "", TeamsId = "", Email = "" },
        ],
    };

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("@")]
    [InlineData(" @ ")]
    [InlineData(null)]
    public void AnEmptyIdFindsNobodyEvenWhenSomeonesIdIsEmpty(string? key)
    {
        Assert.Null(Roster.Find(key));
        Assert.Null(Roster.FindByPlatformId(key));
    }

    [Theory]
    [InlineData("alice", "alice")]
    [InlineData("@Bob", "bob")]
    [InlineData("U0ALICE", "alice")]
    [InlineData("alice@example.com", "alice")]
    [InlineData("carol", "carol")]
    public void PeopleAreStillFoundByNameIdOrEmail(string key, string name)
    {
        Assert.Equal(name, Roster.Find(key)?.Name);
    }

    [Fact]
    public void APlatformIdIsNeverMatchedAgainstANameOrEmail()
    {
        Assert.Null(Roster.FindByPlatformId("bob"));
        Assert.Null(Roster.FindByPlatformId("alice@example.com"));
        Assert.Equal("bob", Roster.FindByPlatformId("U0BOB")?.Name);
    }

    [Fact]
    public void SomeoneNotOnTheRosterIsNamedWithTheirPlatformIdSoTheirDisplayNameCantPassForARosterName()
    {
        var evil = Roster.ActorFor("U0EVIL", "bob");

        Assert.Equal("bob (U0EVIL)", evil.Name);
        Assert.Equal("U0EVIL", evil.PlatformId);
        Assert.Null(Roster.Find(evil.Name));
        Assert.Equal(new Actor("bob", "U0BOB"), Roster.ActorFor("U0BOB", "robert"));
        Assert.Equal(new Actor("U0X", "U0X"), Roster.ActorFor("U0X", null));
    }

    [Fact]
    public void SomeoneWithoutAnIdIsNobody()
    {
        var nobody = Roster.ActorFor("", "dave");

        Assert.Equal("dave (no id)", nobody.Name);
        Assert.Null(Roster.Find(nobody.PlatformId));
        Assert.Null(Roster.IdentityOf(nobody));
        Assert.False(Roster.SamePerson(nobody, nobody));
    }

    [Fact]
    public void SamePersonComparesIdentitiesNeverDisplayNames()
    {
        var realBob = new Actor("bob", "U0BOB");
        var borrowedBob = new Actor("bob", "U0EVIL");
        var shellBob = new Actor("bob", "bob");

        Assert.False(Roster.SamePerson(realBob, borrowedBob));
        Assert.True(Roster.SamePerson(realBob, shellBob));
        Assert.True(Roster.SamePerson(borrowedBob, new Actor("someone else", "U0EVIL")));
    }
}
