using IncidentBot.Clerk.Api;

namespace IncidentBot.Sync.Tests.Support;

/// <summary>
/// The Clerk client with a hook around listing users (what the gap and the resync walk): <paramref name="list"/> gets
/// the query and the real call. Every other call goes to <paramref name="inner"/> as it is.
/// </summary>
public sealed class ListingHook(IClerkClient inner, Func<UserQuery, Func<Task<IReadOnlyList<ClerkUser>>>, Task<IReadOnlyList<ClerkUser>>> list) : IClerkClient
{
    public Task<IReadOnlyList<ClerkUser>> ListUsersAsync(UserQuery query, CancellationToken cancellationToken) =>
        list(query, () => inner.ListUsersAsync(query, cancellationToken));

    public IClerkClient Observed(Action<IncidentBot.Clerk.Http.ClerkCall> observer) => this;

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
