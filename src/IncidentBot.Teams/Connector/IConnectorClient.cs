using System.Text.Json.Nodes;

namespace IncidentBot.Teams.Connector;

/// <summary>A conversation the Connector created: its id and, when it was created with a first message, that message's id.</summary>
public sealed record CreatedConversation(string Id, string? ActivityId);

/// <summary>One page of a conversation's members (PagedMembersResult); a continuation token when there are more.</summary>
public sealed record MembersPage(IReadOnlyList<Activities.TeamsAccount> Members, string? ContinuationToken);

/// <summary>
/// The Bot Connector's REST API (Connector API swagger, v3), at the service URL an authenticated activity brought.
/// Activities are JSON objects as the swagger's Activity definition describes them.
/// </summary>
public interface IConnectorClient
{
    /// <summary><c>POST /v3/conversations/{conversationId}/activities</c>: a new message; returns its id.</summary>
    Task<string?> SendAsync(string serviceUrl, string conversationId, JsonObject activity, CancellationToken cancellationToken);

    /// <summary><c>POST /v3/conversations/{conversationId}/activities/{activityId}</c>: a reply to a message; returns its id.</summary>
    Task<string?> ReplyAsync(string serviceUrl, string conversationId, string activityId, JsonObject activity, CancellationToken cancellationToken);

    /// <summary><c>PUT /v3/conversations/{conversationId}/activities/{activityId}</c>: replaces a message (a card updated in place).</summary>
    Task UpdateAsync(string serviceUrl, string conversationId, string activityId, JsonObject activity, CancellationToken cancellationToken);

    /// <summary><c>POST /v3/conversations</c>: a 1:1 chat with a user, or a new thread in a channel (ConversationParameters).</summary>
    Task<CreatedConversation> CreateConversationAsync(string serviceUrl, JsonObject parameters, CancellationToken cancellationToken);

    /// <summary><c>GET /v3/conversations/{conversationId}/pagedmembers</c>: one page of a team's or chat's members.</summary>
    Task<MembersPage> GetMembersPageAsync(string serviceUrl, string conversationId, string? continuationToken, CancellationToken cancellationToken);
}

/// <summary>A Connector call that failed for good (after retries); the message says which call and why.</summary>
public sealed class ConnectorException(string message, int status) : Exception(message)
{
    public int Status { get; } = status;
}
