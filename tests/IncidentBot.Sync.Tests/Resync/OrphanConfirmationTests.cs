using IncidentBot.Clerk.Api;
using IncidentBot.Sandbox;
using IncidentBot.Sync.Resync;
using IncidentBot.Sync.Sink;
using IncidentBot.Sync.Tests.Support;

namespace IncidentBot.Sync.Tests.Resync;

[Collection(PostgresCollection.Name)]
public sealed class OrphanConfirmationTests(PostgresServer server)
{
    [PostgresFact]
    public async Task ARowWhoseUserSignedUpDuringTheWalkIsNotDeletedAsAnOrphan()
    {
        await using var world = await SyncWorld.StartAsync(server);
        await world.CreatePrismaTableAsync();
        var truth = Users.AddTo(world.Emulator, Users.Ids(700));
        // The app's webhook wrote this row for a user Clerk created after the bot's walk had passed: it looks orphaned.
        await world.InsertRowsAsync([new SyncUser("user_newcomer", "new@example.com", "New", null), new SyncUser("user_gone", "gone@example.com", "Gone", null)]);
        var clerk = new SignUpOnConfirm(world.Clerk, world.Emulator);

        var result = await new SyncResync(clerk, world.Db, world.Time)
            .RunAsync(new ResyncRequest("A8", "INC-4", OrphanHandling.Delete), null, new JsonFileCheckpointStore(world.Options.CheckpointPath), CancellationToken.None);

        Assert.Equal((1L, 1L), (result.OrphansRemoved, result.OrphansKeptInClerk));
        Assert.EndsWith("1 orphaned rows deleted. 1 apparent orphans exist in Clerk after all and were kept.", result.Summary, StringComparison.Ordinal);
        var ids = await world.ClerkIdsAsync();
        Assert.Contains("user_newcomer", ids);
        Assert.DoesNotContain("user_gone", ids);
        Assert.Equal(truth.Count + 1, ids.Count);
        Assert.Empty(world.Emulator.Violations);
    }

    /// <summary>The newcomer signs up in Clerk just before the bot asks Clerk whether the apparent orphans exist.</summary>
    private sealed class SignUpOnConfirm(IClerkClient inner, ClerkSandbox sandbox) : IClerkClient
    {
        public Task<IReadOnlyList<ClerkUser>> ListUsersAsync(UserQuery query, CancellationToken cancellationToken)
        {
            if (query.UserIds is { Count: > 0 })
            {
                sandbox.AddUser("user_newcomer", ["new@example.com"]);
            }

            return inner.ListUsersAsync(query, cancellationToken);
        }

        public Task<long> CountUsersAsync(UserQuery query, CancellationToken cancellationToken) => inner.CountUsersAsync(query, cancellationToken);

        public IClerkClient Observed(Action<IncidentBot.Clerk.Http.ClerkCall> observer) => this;

        public Task<SvixDashboardUrl> CreateWebhookDashboardUrlAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<ClerkUser> GetUserAsync(string userId, CancellationToken cancellationToken) => inner.GetUserAsync(userId, cancellationToken);

        public Task<ClerkUser> BanUserAsync(string userId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<ClerkUser> UnbanUserAsync(string userId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<ClerkUser>> BanUsersAsync(IReadOnlyList<string> userIds, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<ClerkUser>> UnbanUsersAsync(IReadOnlyList<string> userIds, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<ClerkUser> LockUserAsync(string userId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<ClerkUser> UnlockUserAsync(string userId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<ClerkUser> SetPasswordCompromisedAsync(string userId, bool revokeAllSessions, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<SessionPage> ListSessionsAsync(string userId, string status, int limit, int offset, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<ClerkSession> RevokeSessionAsync(string sessionId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<ClerkInstance> GetInstanceAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<ClerkJwks> GetJwksAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
