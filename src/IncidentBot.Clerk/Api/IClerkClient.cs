namespace IncidentBot.Clerk.Api;

/// <summary>The Clerk Backend API endpoints the bot uses, one method each (spec: openapi-specs/bapi/2026-05-12.yml).</summary>
public interface IClerkClient
{
    /// <summary>The same client, reporting every attempt it sends (status, trace id or failure) to <paramref name="observer"/>.</summary>
    IClerkClient Observed(Action<Http.ClerkCall> observer);

    Task<IReadOnlyList<ClerkUser>> ListUsersAsync(UserQuery query, CancellationToken cancellationToken);

    Task<long> CountUsersAsync(UserQuery query, CancellationToken cancellationToken);

    Task<ClerkUser> GetUserAsync(string userId, CancellationToken cancellationToken);

    Task<ClerkUser> BanUserAsync(string userId, CancellationToken cancellationToken);

    Task<ClerkUser> UnbanUserAsync(string userId, CancellationToken cancellationToken);

    /// <summary>POST /users/ban: 1 to 50 ids.</summary>
    Task<IReadOnlyList<ClerkUser>> BanUsersAsync(IReadOnlyList<string> userIds, CancellationToken cancellationToken);

    /// <summary>POST /users/unban: 1 to 50 ids.</summary>
    Task<IReadOnlyList<ClerkUser>> UnbanUsersAsync(IReadOnlyList<string> userIds, CancellationToken cancellationToken);

    Task<ClerkUser> LockUserAsync(string userId, CancellationToken cancellationToken);

    Task<ClerkUser> UnlockUserAsync(string userId, CancellationToken cancellationToken);

    Task<ClerkUser> SetPasswordCompromisedAsync(string userId, bool revokeAllSessions, CancellationToken cancellationToken);

    /// <summary>GET /sessions?user_id=&amp;status=&amp;paginated=true&amp;limit=&amp;offset=.</summary>
    Task<SessionPage> ListSessionsAsync(string userId, string status, int limit, int offset, CancellationToken cancellationToken);

    Task<ClerkSession> RevokeSessionAsync(string sessionId, CancellationToken cancellationToken);

    Task<ClerkInstance> GetInstanceAsync(CancellationToken cancellationToken);

    Task<ClerkJwks> GetJwksAsync(CancellationToken cancellationToken);

    /// <summary>POST /webhooks/svix_url: a fresh sign-in link to the instance's webhook dashboard (Svix). The link is a credential.</summary>
    Task<SvixDashboardUrl> CreateWebhookDashboardUrlAsync(CancellationToken cancellationToken);
}
