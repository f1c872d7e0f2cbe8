using IncidentBot.Clerk.Api;
using IncidentBot.Clerk.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Clerk.Tests.Api;

/// <summary>
/// The bot's half of the contract, one endpoint at a time: each client method sends exactly one request that the spec
/// allows (with Clerk's headers) and reads an answer that fits the spec's response schema (both checked by the
/// sandbox, see ClerkContract); so a failure names the endpoint.
/// </summary>
public sealed class ClientContractTests : IAsyncLifetime
{
    private Harness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await Harness.StartAsync();
        _h.Sandbox.AddUser("user_a", ["old@example.org", "primary@example.org"], primary: 1, sessions: 3);
        _h.Sandbox.AddUser("user_b", ["b@example.org"], sessions: 1);
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    public static TheoryData<string> Methods =>
    [
        "ListUsers", "ListUsersByEmail", "ListUsersById", "ListUsersAfter", "CountUsers", "GetUser", "BanUser", "UnbanUser", "BanUsers", "UnbanUsers",
        "LockUser", "UnlockUser", "SetPasswordCompromised", "ListSessions", "RevokeSession", "GetInstance", "GetJwks", "CreateWebhookDashboardUrl",
    ];

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task EachClientMethodSendsOneRequestTheSpecAllowsAndReadsAnAnswerInTheSpecsShape(string method)
    {
        var clerk = _h.Services.GetRequiredService<IClerkClient>();
        var session = _h.Sandbox.SessionsOf("user_a")[0].Id;
        var ct = CancellationToken.None;
        Func<Task<object>> call = method switch
        {
            "ListUsers" => async () => await clerk.ListUsersAsync(new UserQuery(Limit: 500), ct),
            "ListUsersByEmail" => async () => await clerk.ListUsersAsync(new UserQuery(EmailAddresses: ["PRIMARY@example.org", "b@example.org"], Limit: 500), ct),
            "ListUsersById" => async () => await clerk.ListUsersAsync(new UserQuery(UserIds: ["user_a", "user_b"], Banned: false, Limit: 2), ct),
            "ListUsersAfter" => async () => await clerk.ListUsersAsync(new UserQuery(Limit: 1, StartingAfter: "user_b"), ct),
            "CountUsers" => async () => await clerk.CountUsersAsync(new UserQuery(Banned: false), ct),
            "GetUser" => async () => await clerk.GetUserAsync("user_a", ct),
            "BanUser" => async () => await clerk.BanUserAsync("user_a", ct),
            "UnbanUser" => async () => await clerk.UnbanUserAsync("user_a", ct),
            "BanUsers" => async () => await clerk.BanUsersAsync(["user_a", "user_b"], ct),
            "UnbanUsers" => async () => await clerk.UnbanUsersAsync(["user_a", "user_b"], ct),
            "LockUser" => async () => await clerk.LockUserAsync("user_a", ct),
            "UnlockUser" => async () => await clerk.UnlockUserAsync("user_a", ct),
            "SetPasswordCompromised" => async () => await clerk.SetPasswordCompromisedAsync("user_a", revokeAllSessions: true, ct),
            "ListSessions" => async () => await clerk.ListSessionsAsync("user_a", "active", 2, 1, ct),
            "RevokeSession" => async () => await clerk.RevokeSessionAsync(session, ct),
            "GetInstance" => async () => await clerk.GetInstanceAsync(ct),
            "GetJwks" => async () => await clerk.GetJwksAsync(ct),
            "CreateWebhookDashboardUrl" => async () => await clerk.CreateWebhookDashboardUrlAsync(ct),
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, "not a client method"),
        };

        var answer = await _h.DriveAsync(call());

        Assert.NotNull(answer);
        var sent = Assert.Single(_h.Sandbox.Requests, r => r.Path.StartsWith("/v1/", StringComparison.Ordinal));
        Assert.Equal(200, sent.Status);
        Assert.Empty(_h.Sandbox.Violations);
    }

    [Fact]
    public async Task ABreachOfTheContractFailsTheTestThatUsedTheHarness()
    {
        var h = await Harness.StartAsync();
        await h.DriveAsync(h.Services.GetRequiredService<IClerkClient>().GetInstanceAsync(CancellationToken.None));
        h.Sandbox.Violations.Enqueue("GET /v1/instance: what a broken request would leave here");

        var failed = await Assert.ThrowsAsync<Xunit.Sdk.TrueException>(async () => await h.DisposeAsync());

        Assert.Contains("what a broken request would leave here", failed.Message);
    }
}
