using System.Text.Json;
using System.Text.Json.Serialization;

namespace IncidentBot.Clerk.Api;

/// <summary>The parts of Clerk's User the bot reads. Timestamps are Unix milliseconds. Read by <see cref="ClerkUserJson"/>.</summary>
[JsonConverter(typeof(ClerkUserJson))]
public sealed record ClerkUser(
    string Id,
    string? PrimaryEmailAddressId,
    IReadOnlyList<ClerkEmailAddress>? EmailAddresses,
    bool Banned,
    bool Locked,
    bool PasswordEnabled,
    long? LastActiveAt,
    long CreatedAt,
    string? FirstName = null,
    string? LastName = null)
{
    /// <summary>The address whose id is primary_email_address_id: not necessarily the first.</summary>
    public string? PrimaryEmail => EmailAddresses?.FirstOrDefault(e => e.Id == PrimaryEmailAddressId)?.EmailAddress;

    public bool HasEmail(string email) =>
        EmailAddresses?.Any(e => string.Equals(e.EmailAddress, email, StringComparison.OrdinalIgnoreCase)) == true;
}

public sealed record ClerkEmailAddress(string Id, string EmailAddress);

public sealed record ClerkSession(string Id, string UserId, string Status, long LastActiveAt, long ExpireAt);

/// <summary>GET /sessions with paginated=true.</summary>
public sealed record SessionPage(IReadOnlyList<ClerkSession> Data, long TotalCount);

public sealed record ClerkTotalCount(long TotalCount);

public sealed record ClerkInstance(string Id, string EnvironmentType);

public sealed record ClerkJwks(IReadOnlyList<JsonElement> Keys);

/// <summary>POST /webhooks/svix_url's answer. Whoever holds the URL is logged into the webhook dashboard: never log or post it.</summary>
public sealed record SvixDashboardUrl(string SvixUrl)
{
    public override string ToString() => "SvixDashboardUrl { SvixUrl = (hidden) }";
}

public sealed record SetPasswordCompromisedBody(bool? RevokeAllSessions);

public sealed record UserIdsBody(IReadOnlyList<string> UserIds);

/// <summary>Clerk's error body: {errors:[{code,message,long_message,meta}], clerk_trace_id}.</summary>
public sealed record ClerkErrorBody(IReadOnlyList<ClerkError>? Errors, string? ClerkTraceId);

public sealed record ClerkError(string Code, string Message, string? LongMessage, JsonElement? Meta);

/// <summary>
/// Filters of GET /users and GET /users/count. Arrays are sent as repeated keys. <see cref="CreatedAfter"/> and
/// <see cref="CreatedBefore"/> are Unix milliseconds (created_at_after / created_at_before: the spec doesn't say
/// whether a bound is inclusive, so callers that need an exact range widen it and filter on <see cref="ClerkUser.CreatedAt"/>).
/// <see cref="OldestFirst"/> sends order_by=+created_at (the spec's default is -created_at, newest first); both
/// work with the starting_after cursor, and GET /users/count ignores paging and ordering.
/// </summary>
public sealed record UserQuery(
    IReadOnlyList<string>? EmailAddresses = null,
    IReadOnlyList<string>? UserIds = null,
    bool? Banned = null,
    int? Limit = null,
    string? StartingAfter = null,
    long? CreatedAfter = null,
    long? CreatedBefore = null,
    bool OldestFirst = false);

public static class ClerkJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
