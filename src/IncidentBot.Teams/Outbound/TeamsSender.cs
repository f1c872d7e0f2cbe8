using System.Text.Json.Nodes;
using IncidentBot.Core.Messaging;
using IncidentBot.Teams.Activities;
using IncidentBot.Teams.Connector;
using IncidentBot.Teams.Storage;
using IncidentBot.Teams.Views;
using Microsoft.Extensions.Options;

namespace IncidentBot.Teams.Outbound;

/// <summary>
/// Sends rendered messages through the Connector at the conversation's stored service URL: posts, replies, card
/// updates, 1:1 chats opened proactively, threads in a channel. Cards with buttons are remembered, so a press can be
/// answered with the same card showing its outcome.
/// </summary>
public sealed class TeamsSender(IConnectorClient connector, AdaptiveCardRenderer renderer, TeamsStore store, IOptions<TeamsOptions> options)
{
    /// <summary>The stored service URL for a conversation (a thread uses its channel's).</summary>
    public string? ServiceUrlOf(string conversationId) => store.Conversation(ConversationIds.Base(conversationId))?.ServiceUrl;

    public async Task<string?> PostAsync(string conversationId, ChatMessage message, CancellationToken cancellationToken)
    {
        var serviceUrl = ServiceUrlOf(conversationId) ?? throw NoReference(conversationId);
        var activity = renderer.Render(message);
        var id = await connector.SendAsync(serviceUrl, conversationId, activity, cancellationToken);
        Remember(conversationId, id, activity);
        return id;
    }

    public async Task<string?> ReplyAsync(TeamsActivity to, ChatMessage message, CancellationToken cancellationToken)
    {
        var activity = renderer.Render(message);
        var id = to.Id is { Length: > 0 } replyTo
            ? await connector.ReplyAsync(to.ServiceUrl!, to.ConversationId, replyTo, activity, cancellationToken)
            : await connector.SendAsync(to.ServiceUrl!, to.ConversationId, activity, cancellationToken);
        Remember(to.ConversationId, id, activity);
        return id;
    }

    /// <summary>Replaces a posted message with <paramref name="message"/> (the incident card updated in place).</summary>
    public Task UpdateAsync(string conversationId, string activityId, ChatMessage message, CancellationToken cancellationToken)
    {
        var activity = renderer.Render(message);
        activity["id"] = activityId;
        Remember(conversationId, activityId, activity);
        return connector.UpdateAsync(ServiceUrlOf(conversationId) ?? throw NoReference(conversationId), conversationId, activityId, activity, cancellationToken);
    }

    /// <summary>Replaces a posted card with <paramref name="card"/> (a pressed card showing its outcome).</summary>
    public Task UpdateCardAsync(string serviceUrl, string conversationId, string activityId, JsonObject card, CancellationToken cancellationToken)
    {
        var activity = AdaptiveCardRenderer.Message((JsonObject)card.DeepClone());
        activity["id"] = activityId;
        store.SaveCard(conversationId, activityId, card.ToJsonString());
        return connector.UpdateAsync(serviceUrl, conversationId, activityId, activity, cancellationToken);
    }

    /// <summary>The card the bot posted as this message, if it had buttons.</summary>
    public JsonObject? CardOf(string conversationId, string activityId) =>
        store.Card(conversationId, activityId) is { } json ? JsonNode.Parse(json) as JsonObject : null;

    /// <summary>
    /// A new thread in a channel whose first message is <paramref name="first"/>: returns the thread's conversation id
    /// (<c>channel;messageid=root</c>) and the first message's id.
    /// </summary>
    public async Task<(string ThreadId, string? RootId)> StartThreadAsync(string channelId, ChatMessage first, CancellationToken cancellationToken)
    {
        var channel = store.Conversation(ConversationIds.Base(channelId)) ?? throw NoReference(channelId);
        var activity = renderer.Render(first);
        var parameters = new JsonObject
        {
            ["isGroup"] = true,
            ["bot"] = new JsonObject { ["id"] = BotId },
            ["tenantId"] = channel.TenantId,
            ["activity"] = activity,
            ["channelData"] = new JsonObject
            {
                ["channel"] = new JsonObject { ["id"] = channel.Id },
                ["tenant"] = new JsonObject { ["id"] = channel.TenantId },
            },
        };
        var created = await connector.CreateConversationAsync(channel.ServiceUrl, parameters, cancellationToken);
        var threadId = ConversationIds.IsThread(created.Id) || created.ActivityId is null ? created.Id : ConversationIds.Thread(channel.Id, created.ActivityId);
        Remember(threadId, created.ActivityId, activity);
        return (threadId, created.ActivityId);
    }

    /// <summary>
    /// Sends a message to one user in their 1:1 chat with the bot, opening that chat first (POST /v3/conversations)
    /// when only the user is known (installed in a team, never wrote). Null when the bot has never seen them.
    /// </summary>
    public async Task<string?> DirectAsync(string userIdOrAadObjectId, ChatMessage message, CancellationToken cancellationToken)
    {
        if (store.User(userIdOrAadObjectId) is not { } user)
        {
            return null;
        }

        if (user.PersonalConversationId is null)
        {
            var parameters = new JsonObject
            {
                ["isGroup"] = false,
                ["bot"] = new JsonObject { ["id"] = BotId },
                ["members"] = new JsonArray(new JsonObject { ["id"] = user.Id }),
                ["tenantId"] = user.TenantId,
                ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = user.TenantId } },
            };
            var created = await connector.CreateConversationAsync(user.ServiceUrl, parameters, cancellationToken);
            user.PersonalConversationId = created.Id;
            store.Save(user);
            store.Save(new ConversationRecord { Id = created.Id, ConversationType = "personal", ServiceUrl = user.ServiceUrl, TenantId = user.TenantId, UpdatedAt = user.UpdatedAt });
        }

        var activity = renderer.Render(message);
        var id = await connector.SendAsync(user.ServiceUrl, user.PersonalConversationId, activity, cancellationToken);
        Remember(user.PersonalConversationId, id, activity);
        return user.PersonalConversationId;
    }

    private string BotId => "28:" + options.Value.AppId;

    private void Remember(string conversationId, string? activityId, JsonObject activity)
    {
        if (activityId is { Length: > 0 } && activity["attachments"]?[0]?["content"] is JsonObject card && card.ToJsonString().Contains("\"Action.Execute\"", StringComparison.Ordinal))
        {
            store.SaveCard(conversationId, activityId, card.ToJsonString());
        }
    }

    private static ConnectorException NoReference(string conversationId) =>
        new($"The bot has no service URL for Teams conversation {conversationId}: it has not been installed there or heard from it", 0);
}
