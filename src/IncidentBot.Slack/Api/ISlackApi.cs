using System.Text.Json.Nodes;

namespace IncidentBot.Slack.Api;

/// <summary>
/// The Slack Web API methods the bot uses, one per endpoint. Every method throws <see cref="SlackApiException"/>
/// when Slack answers ok:false, and waits out HTTP 429 (Retry-After) before trying again.
/// </summary>
public interface ISlackApi
{
    Task<AuthTestResponse> AuthTestAsync(CancellationToken cancellationToken);

    Task<MessageResponse> PostMessageAsync(string channel, SlackMessage message, CancellationToken cancellationToken);

    Task<MessageResponse> UpdateAsync(string channel, string ts, SlackMessage message, CancellationToken cancellationToken);

    Task<MessageResponse> PostEphemeralAsync(string channel, string user, SlackMessage message, CancellationToken cancellationToken);

    Task<ChannelResponse> CreateConversationAsync(string name, bool isPrivate, CancellationToken cancellationToken);

    Task<ChannelResponse> InviteAsync(string channel, IReadOnlyList<string> users, CancellationToken cancellationToken);

    /// <summary>Opens (or finds) the direct-message conversation with one user.</summary>
    Task<ChannelResponse> OpenConversationAsync(string user, CancellationToken cancellationToken);

    Task<ChannelResponse> SetTopicAsync(string channel, string topic, CancellationToken cancellationToken);

    Task<HistoryResponse> HistoryAsync(string channel, string? cursor, int limit, CancellationToken cancellationToken);

    Task<SlackResponse> PinAsync(string channel, string ts, CancellationToken cancellationToken);

    Task<UserResponse> UserInfoAsync(string user, CancellationToken cancellationToken);

    Task<UserResponse> LookupByEmailAsync(string email, CancellationToken cancellationToken);

    Task<UploadUrlResponse> GetUploadUrlExternalAsync(string fileName, long length, CancellationToken cancellationToken);

    /// <summary>Sends the file's bytes to the URL <see cref="GetUploadUrlExternalAsync"/> handed out.</summary>
    Task UploadToUrlAsync(string uploadUrl, byte[] content, CancellationToken cancellationToken);

    Task<CompleteUploadResponse> CompleteUploadExternalAsync(string fileId, string title, string channel, string? initialComment, CancellationToken cancellationToken);

    /// <summary>Opens a modal for the person who just pressed a button (the trigger_id lives 3 seconds).</summary>
    Task<SlackResponse> OpenViewAsync(string triggerId, JsonObject view, CancellationToken cancellationToken);

    /// <summary>Asks for a Socket Mode WebSocket URL, with the app-level token.</summary>
    Task<ConnectionResponse> OpenConnectionAsync(CancellationToken cancellationToken);

    /// <summary>Posts a message payload to an interaction's <c>response_url</c>.</summary>
    Task RespondAsync(string responseUrl, JsonObject payload, CancellationToken cancellationToken);
}
