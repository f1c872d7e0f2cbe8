using System.Text.Json.Nodes;
using IncidentBot.Core.Commands;
using IncidentBot.Core.Messaging;
using IncidentBot.Slack.Inbound;
using IncidentBot.Slack.Outbound;
using IncidentBot.Slack.Views;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Slack.Handlers;

/// <summary><c>/incident ...</c>: runs the command line and acknowledges with its answer, shown only to the invoker.</summary>
public sealed class SlashCommandHandler(
    CommandRouter router,
    SlackPeople people,
    BlockKitRenderer renderer,
    AckBudget budget,
    SlackWorkQueue queue,
    SlackPublisher publisher,
    ILogger<SlashCommandHandler> log) : ISlackHandler
{
    public string Key => SlackInbound.SlashCommands;

    public async Task<SlackAck?> HandleAsync(SlackInbound inbound, CancellationToken cancellationToken)
    {
        var userId = inbound.Str("user_id") ?? "";
        var channelId = inbound.Str("channel_id") ?? "";
        var text = inbound.Str("text") ?? "";
        var context = new CommandContext(people.ActorOf(userId, inbound.Str("user_name")), SlackSurface.PlatformName, channelId) { ReplyTo = inbound.Str("response_url") };
        var declaring = text.TrimStart().StartsWith("declare", StringComparison.OrdinalIgnoreCase);

        // Not the request's token: a slow command must finish even after the acknowledgement went out.
        var work = SafeCommand.RunAsync(() => router.HandleAsync(context, "/incident " + text, CancellationToken.None), log, $"Slash command '{text}'");
        var result = await budget.WaitAsync(work, cancellationToken);
        if (result is null)
        {
            AckBudget.Then(work, queue, "slash command follow-up", (late, ct) =>
                late.Reply.IsEmpty ? Task.CompletedTask : publisher.TellAsync(context.Origin, late.Reply.Message, ct));
            return Ack(ChatMessage.Plain("Working on it…"));
        }

        if (result.Reply.IsEmpty)
        {
            return declaring && result.IncidentId is { } id ? Ack(ChatMessage.Plain($"Declaring {id}: opening its channel…")) : null;
        }

        return Ack(result.Reply.Message);
    }

    /// <summary>
    /// The last answer rendered, with the message and roster it was rendered from: a handler that answers with the same
    /// message object again (help does) under the same roster gets the same bytes without rendering them again.
    /// </summary>
    private Rendered? _last;

    private SlackAck Ack(ChatMessage message)
    {
        var roster = people.Roster;
        if (_last is { } last && ReferenceEquals(last.Message, message) && ReferenceEquals(last.Roster, roster))
        {
            return last.Ack;
        }

        var ack = SlackReplies.EphemeralAck(renderer.Render(message));
        _last = new Rendered(message, roster, ack);
        return ack;
    }

    private sealed record Rendered(ChatMessage Message, object Roster, SlackAck Ack);
}
