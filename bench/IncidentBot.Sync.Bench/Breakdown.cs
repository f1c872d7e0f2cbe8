using System.Diagnostics;
using IncidentBot.Clerk.Api;
using IncidentBot.Sync.Resync;

namespace IncidentBot.Sync.Bench;

/// <summary>
/// Where a run's time goes, by stopwatch: Clerk calls (fetch and parse, on the fetcher) and checkpoint saves (on the
/// writer) are timed by wrapping the client and the store; the writer's database time is the rest of its time.
/// </summary>
public sealed class Breakdown
{
    private long _clerkTicks;
    private long _checkpointTicks;

    public TimeSpan Clerk => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _clerkTicks));

    public TimeSpan Checkpoints => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _checkpointTicks));

    public IClerkClient Wrap(IClerkClient clerk) => new TimedClerk(clerk, this);

    public IResyncCheckpointStore Wrap(IResyncCheckpointStore store) => new TimedCheckpoints(store, this);

    private async Task<T> TimeAsync<T>(Task<T> call, Action<long> add)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            return await call;
        }
        finally
        {
            add(Stopwatch.GetTimestamp() - start);
        }
    }

    private sealed class TimedClerk(IClerkClient inner, Breakdown b) : IClerkClient
    {
        public IClerkClient Observed(Action<Clerk.Http.ClerkCall> observer) => new TimedClerk(inner.Observed(observer), b);

        public Task<IReadOnlyList<ClerkUser>> ListUsersAsync(UserQuery query, CancellationToken cancellationToken) =>
            b.TimeAsync(inner.ListUsersAsync(query, cancellationToken), t => Interlocked.Add(ref b._clerkTicks, t));

        public Task<long> CountUsersAsync(UserQuery query, CancellationToken cancellationToken) => inner.CountUsersAsync(query, cancellationToken);

        public Task<ClerkUser> GetUserAsync(string userId, CancellationToken cancellationToken) => inner.GetUserAsync(userId, cancellationToken);

        public Task<ClerkUser> BanUserAsync(string userId, CancellationToken cancellationToken) => inner.BanUserAsync(userId, cancellationToken);

        public Task<ClerkUser> UnbanUserAsync(string userId, CancellationToken cancellationToken) => inner.UnbanUserAsync(userId, cancellationToken);

        public Task<IReadOnlyList<ClerkUser>> BanUsersAsync(IReadOnlyList<string> userIds, CancellationToken cancellationToken) => inner.BanUsersAsync(userIds, cancellationToken);

        public Task<IReadOnlyList<ClerkUser>> UnbanUsersAsync(IReadOnlyList<string> userIds, CancellationToken cancellationToken) => inner.UnbanUsersAsync(userIds, cancellationToken);

        public Task<ClerkUser> LockUserAsync(string userId, CancellationToken cancellationToken) => inner.LockUserAsync(userId, cancellationToken);

        public Task<ClerkUser> UnlockUserAsync(string userId, CancellationToken cancellationToken) => inner.UnlockUserAsync(userId, cancellationToken);

        public Task<ClerkUser> SetPasswordCompromisedAsync(string userId, bool revokeAllSessions, CancellationToken cancellationToken) =>
            inner.SetPasswordCompromisedAsync(userId, revokeAllSessions, cancellationToken);

        public Task<SessionPage> ListSessionsAsync(string userId, string status, int limit, int offset, CancellationToken cancellationToken) =>
            inner.ListSessionsAsync(userId, status, limit, offset, cancellationToken);

        public Task<ClerkSession> RevokeSessionAsync(string sessionId, CancellationToken cancellationToken) => inner.RevokeSessionAsync(sessionId, cancellationToken);

        public Task<ClerkInstance> GetInstanceAsync(CancellationToken cancellationToken) => inner.GetInstanceAsync(cancellationToken);

        public Task<ClerkJwks> GetJwksAsync(CancellationToken cancellationToken) => inner.GetJwksAsync(cancellationToken);

        public Task<SvixDashboardUrl> CreateWebhookDashboardUrlAsync(CancellationToken cancellationToken) => inner.CreateWebhookDashboardUrlAsync(cancellationToken);
    }

    private sealed class TimedCheckpoints(IResyncCheckpointStore inner, Breakdown b) : IResyncCheckpointStore
    {
        public Task<ResyncCheckpoint?> LoadAsync(string key, CancellationToken cancellationToken) => inner.LoadAsync(key, cancellationToken);

        public async Task SaveAsync(ResyncCheckpoint checkpoint, CancellationToken cancellationToken)
        {
            var start = Stopwatch.GetTimestamp();
            await inner.SaveAsync(checkpoint, cancellationToken);
            Interlocked.Add(ref b._checkpointTicks, Stopwatch.GetTimestamp() - start);
        }
    }
}
