using IncidentBot.Clerk.Api;
using IncidentBot.Sandbox.Tests.Support;

namespace IncidentBot.Sandbox.Tests.Api;

public sealed class PopulationTests
{
    [Fact]
    public void TheSameSeedGivesTheSamePopulationAndItLooksLikeARealInstance()
    {
        var a = Population.Seed(new SandboxOptions { Users = 400 });
        var b = Population.Seed(new SandboxOptions { Users = 400 });

        Assert.Equal(a.Users.Select(u => (u.Id, u.PrimaryEmail, u.Banned)), b.Users.Select(u => (u.Id, u.PrimaryEmail, u.Banned)));
        Assert.Equal(400, a.Users.Count);
        Assert.Contains(a.Users, u => u.Emails.Count >= 2 && u.PrimaryEmailId != u.Emails[0].Id);
        Assert.Contains(a.Users, u => u.Emails.Count >= 2 && u.PrimaryEmailId == u.Emails[0].Id);
        Assert.InRange(a.Users.Count(u => u.Banned), 2, 40);
        Assert.True(a.Sessions.Count(s => s.Status == "active") > 400, "many active sessions");
        Assert.All(a.Users.Where(u => u.Banned), u => Assert.DoesNotContain(a.Sessions, s => s.UserId == u.Id && s.Status == "active"));
    }

    [Fact]
    public async Task BanEndsEverySessionAndTheBotsClientReadsThePrimaryEmailById()
    {
        await using var f = await SandboxFixture.StartAsync();
        var user = f.Sandbox.Users.First(u => !u.Banned && u.Emails.Count > 1 && u.PrimaryEmailId != u.Emails[0].Id && f.Sandbox.SessionsOf(u.Id).Count > 0);

        var read = await f.Client.GetUserAsync(user.Id, CancellationToken.None);
        var banned = await f.Client.BanUserAsync(user.Id, CancellationToken.None);
        var sessions = await f.Client.ListSessionsAsync(user.Id, "active", 10, 0, CancellationToken.None);

        Assert.Equal(user.PrimaryEmail, read.PrimaryEmail);
        Assert.NotEqual(read.EmailAddresses![0].EmailAddress, read.PrimaryEmail);
        Assert.True(banned.Banned);
        Assert.Empty(sessions.Data);
        Assert.Equal(0, sessions.TotalCount);
        Assert.Empty(f.Sandbox.Violations);
    }

    [Fact]
    public async Task BulkBanTakesOneToFiftyIdsAndSetCompromisedCanRevokeEverySession()
    {
        await using var f = await SandboxFixture.StartAsync();
        var ids = f.Sandbox.Users.Where(u => !u.Banned).Take(3).Select(u => u.Id).ToList();
        var victim = f.Sandbox.Users.First(u => !u.Banned && !ids.Contains(u.Id) && f.Sandbox.SessionsOf(u.Id).Count > 0);

        var bannedUsers = await f.Client.BanUsersAsync(ids, CancellationToken.None);
        using var tooMany = await f.Http.SendAsync(f.Authorized(HttpMethod.Post, "/v1/users/ban",
            System.Text.Json.JsonSerializer.Serialize(new { user_ids = Enumerable.Range(0, 51).Select(i => $"user_{i}") })));
        var compromised = await f.Client.SetPasswordCompromisedAsync(victim.Id, revokeAllSessions: true, CancellationToken.None);

        Assert.All(bannedUsers, u => Assert.True(u.Banned));
        Assert.Equal(3, bannedUsers.Count);
        Assert.Equal(422, (int)tooMany.StatusCode);
        Assert.Equal(victim.Id, compromised.Id);
        Assert.True(f.Sandbox.User(victim.Id)!.PasswordCompromised);
        Assert.Empty(f.Sandbox.SessionsOf(victim.Id));
    }
}
