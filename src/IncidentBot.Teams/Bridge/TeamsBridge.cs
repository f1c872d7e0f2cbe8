using System.Globalization;
using System.Text.Json.Nodes;
using IncidentBot.Core.Approvals;
using IncidentBot.Core.Commands;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Service;
using IncidentBot.Teams.Activities;
using IncidentBot.Teams.Inbound;
using IncidentBot.Teams.Outbound;
using IncidentBot.Teams.Views;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IncidentBot.Teams.Bridge;

/// <summary>
/// Where Teams meets Core, inbound: a command (the bot's mention stripped) or a card press becomes a call to the
/// command router; a message in an incident's thread becomes a timeline entry. Commands and presses get
/// <see cref="TeamsOptions.InvokeBudgetMilliseconds"/>: a press answers with the refreshed card if it finished by
/// then, else "working on it" and the card is updated when it has.
/// </summary>
public sealed class TeamsBridge(
    CommandRouter router,
    IncidentService incidents,
    TeamsPeople people,
    TeamsSender sender,
    TeamsWorkQueue queue,
    ActivityDeduper deduper,
    IOptions<TeamsOptions> options,
    TimeProvider time,
    ILogger<TeamsBridge> log)
{
    public async Task<TeamsAnswer> HandleAsync(TeamsActivity activity, CancellationToken cancellationToken)
    {
        if (activity.Type is "message" or "invoke" && (activity.From is null || activity.ServiceUrl is null))
        {
            return activity.Type == "invoke" ? TeamsAnswer.Error(400, "The activity names no sender.") : TeamsAnswer.Ok;
        }

        if (activity.Type == "message" && activity.Id is { } id && !deduper.FirstTime(activity.ConversationId, id))
        {
            log.LogInformation("Teams message {ActivityId} in {Conversation} delivered again: already handled", id, activity.ConversationId);
            return TeamsAnswer.Ok;
        }

        switch (activity.Type)
        {
            case "message" when activity.Value is JsonObject submitted:
                await PressAsync(activity, submitted, invoke: false, cancellationToken);
                return TeamsAnswer.Ok;
            case "message" when activity.IsPersonal || Mentions.MentionsBot(activity):
                await CommandAsync(activity, cancellationToken);
                return TeamsAnswer.Ok;
            case "message":
                await RecordAsync(activity, cancellationToken);
                return TeamsAnswer.Ok;
            case "invoke" when activity.Name == "adaptiveCard/action":
                return activity.Value?["action"] is JsonObject action && (string?)action["type"] == "Action.Execute" && action["data"] is JsonObject data
                    ? await PressAsync(activity, data, invoke: true, cancellationToken)
                    : TeamsAnswer.Error(400, "An adaptiveCard/action invoke needs value.action of type Action.Execute with data.");
            case "invoke":
                return TeamsAnswer.NotImplemented;
            case "messageUpdate" when activity.Id is { } edited && incidents.FindByChannel(TeamsSurface.PlatformName, activity.ConversationId) is { } incident:
                await incidents.EditChannelMessageAsync(incident.Id, Author(activity), SourceRef(activity.ConversationId, edited), Mentions.StripBotMention(activity),
                    activity.Timestamp ?? time.GetUtcNow(), cancellationToken);
                return TeamsAnswer.Ok;
            case "messageDelete" when activity.Id is { } deleted && incidents.FindByChannel(TeamsSurface.PlatformName, activity.ConversationId) is { } incident:
                await incidents.RemoveChannelMessageAsync(incident.Id, Author(activity), SourceRef(activity.ConversationId, deleted), activity.Timestamp ?? time.GetUtcNow(), cancellationToken);
                return TeamsAnswer.Ok;
            default:
                return TeamsAnswer.Ok;
        }
    }

    private string Author(TeamsActivity activity) => activity.From is { } from ? people.ActorOf(from).Name : "someone";

    public static string SourceRef(string conversationId, string activityId) => $"{TeamsSurface.PlatformName}:{conversationId}:{activityId}";

    private async Task CommandAsync(TeamsActivity activity, CancellationToken cancellationToken)
    {
        var text = activity.IsPersonal ? activity.Text.Trim() : Mentions.StripBotMention(activity);
        if (text.StartsWith("/incident", StringComparison.OrdinalIgnoreCase))
        {
            text = text["/incident".Length..].TrimStart();
        }

        var context = new CommandContext(people.ActorOf(activity.From!), TeamsSurface.PlatformName, activity.ConversationId);
        // Not the request's token: a slow command must finish even after Teams got its answer.
        var work = SafeAsync(() => router.HandleAsync(context, "/incident " + (text.Length == 0 ? "help" : text), CancellationToken.None), $"Teams command '{text}'");
        await WithinBudgetAsync(work, cancellationToken);
        Then(work, "command reply", (result, ct) => result.Reply.IsEmpty ? Task.CompletedTask : sender.ReplyAsync(activity, result.Reply.Message, ct));
    }

    /// <param name="data">The action's data (Action.Execute) or the message's value (Action.Submit), inputs merged in.</param>
    private async Task<TeamsAnswer> PressAsync(TeamsActivity activity, JsonObject data, bool invoke, CancellationToken cancellationToken)
    {
        if (ButtonAction.Decode((string?)data[AdaptiveCardRenderer.ActionKey]) is not { } action)
        {
            const string Foreign = "That button is not one of IncidentBot's.";
            if (!invoke)
            {
                queue.Enqueue("unknown button", ct => sender.ReplyAsync(activity, ChatMessage.Warn(Foreign), ct));
            }

            return TeamsAnswer.Error(400, Foreign);
        }

        if (AdaptiveCardRenderer.IsSkip(action) && (string?)data[AdaptiveCardRenderer.ReasonInput] is { Length: > 0 } reason)
        {
            action = action with { Command = $"{action.Command} {reason.ReplaceLineEndings(" ").Trim()}" };
        }

        var actor = people.ActorOf(activity.From!);
        var label = (string?)data[AdaptiveCardRenderer.LabelKey] ?? "Pressed";
        var context = new CommandContext(actor, TeamsSurface.PlatformName, activity.ConversationId);
        var work = SafeAsync(() => router.PressAsync(context, action, CancellationToken.None), $"Teams button '{action.Command}'");
        var result = await WithinBudgetAsync(work, cancellationToken);
        var card = activity.ReplyToId is { } cardId ? sender.CardOf(activity.ConversationId, cardId) : null;
        if (result is null)
        {
            Then(work, $"button {action.Command}", (late, ct) => FinishAsync(activity, late, Refreshed(late, card, action, label, actor.Name), ct));
            return TeamsAnswer.Message("Working on it… the card changes when it's done.");
        }

        var refreshed = Refreshed(result, card, action, label, actor.Name);
        queue.Enqueue($"button {action.Command}", ct => FinishAsync(activity, result, refreshed, ct, answered: invoke));
        if (!invoke)
        {
            return TeamsAnswer.Ok;
        }

        return refreshed is not null ? TeamsAnswer.Card(refreshed)
            : result.Reply.Message.Kind == MessageKind.Warning ? TeamsAnswer.Message(result.Reply.Message.Text)
            : TeamsAnswer.Message(result.Reply.IsEmpty ? "Done." : result.Reply.Message.Text);
    }

    /// <summary>After a press: the card updated for everyone (its buttons replaced by the outcome), and anything the presser must hear.</summary>
    private async Task FinishAsync(TeamsActivity activity, CommandResult result, JsonObject? refreshed, CancellationToken cancellationToken, bool answered = false)
    {
        if (refreshed is not null && activity.ReplyToId is { } cardId)
        {
            await sender.UpdateCardAsync(activity.ServiceUrl!, activity.ConversationId, cardId, refreshed, cancellationToken);
        }

        // The invoke answer already showed a refusal to the presser; an Action.Submit press has no answer, so it is said in the chat.
        if (!result.Reply.IsEmpty && !(answered && (refreshed is null || result.Reply.Message.Kind == MessageKind.Warning)))
        {
            await sender.ReplyAsync(activity, result.Reply.Message, cancellationToken);
        }
    }

    /// <summary>The pressed card with its outcome ("Approved by bob at 03:12 UTC"), or null for a refusal or an unknown card.</summary>
    private JsonObject? Refreshed(CommandResult result, JsonObject? card, ButtonAction action, string label, string presser)
    {
        if (card is null || result.Reply.Message.Kind == MessageKind.Warning)
        {
            return null;
        }

        var at = time.GetUtcNow().UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture);
        var waiting = StillWaiting(action);
        var outcome = waiting is null
            ? $"{Pressed(label)} by {presser} at {at} UTC"
            : $"{Pressed(label)} by {presser} ({waiting.Approvers.Count()} of {waiting.ApprovalsNeeded}) at {at} UTC, waiting for another approver";
        return AdaptiveCardRenderer.Pressed(card, outcome, keepButtons: waiting is not null);
    }

    /// <summary>The approval the press was for, when it still waits for another approver: its card keeps the buttons.</summary>
    private ApprovalRequest? StillWaiting(ButtonAction action)
    {
        const string Guard = "approval:";
        var id = action.Guard.StartsWith(Guard, StringComparison.Ordinal) ? action.Guard[Guard.Length..] : null;
        return id is { Length: > 0 } && incidents.Find(action.IncidentId)?.FindApproval(id) is { State: ApprovalState.Pending } request ? request : null;
    }

    /// <summary>How a pressed button reads afterwards: "Approved by ...", "Skipped by ...", "Clerk outage: chosen by ...".</summary>
    public static string Pressed(string label) => label.Trim() switch
    {
        var l when l.Equals("Approve", StringComparison.OrdinalIgnoreCase) => "Approved",
        var l when l.Equals("Deny", StringComparison.OrdinalIgnoreCase) => "Denied",
        var l when l.Equals("Skip", StringComparison.OrdinalIgnoreCase) => "Skipped",
        var l when l.Equals("Done", StringComparison.OrdinalIgnoreCase) => "Done",
        var l when l.Equals("Acknowledge", StringComparison.OrdinalIgnoreCase) => "Acknowledged",
        var l => $"{l}: chosen",
    };

    /// <summary>A message in an incident's thread (the bot hears them all with ChannelMessage.Read.Group) goes on its timeline.</summary>
    private async Task RecordAsync(TeamsActivity activity, CancellationToken cancellationToken)
    {
        if (activity.From is not { } from || activity.Id is not { } id || incidents.FindByChannel(TeamsSurface.PlatformName, activity.ConversationId) is not { } incident)
        {
            return;
        }

        var text = activity.Text.Trim();
        if (text.Length == 0)
        {
            return;
        }

        var at = activity.Timestamp ?? time.GetUtcNow();
        await incidents.RecordChannelMessageAsync(incident.Id, people.ActorOf(from).Name, text, at, SourceRef(activity.ConversationId, id), cancellationToken);
    }

    private async Task<CommandResult?> WithinBudgetAsync(Task<CommandResult> work, CancellationToken cancellationToken)
    {
        var budget = Task.Delay(TimeSpan.FromMilliseconds(options.Value.InvokeBudgetMilliseconds), time, cancellationToken);
        return await Task.WhenAny(work, budget) == work ? await work : null;
    }

    /// <summary>Queues <paramref name="next"/> for when <paramref name="work"/> has finished (its publications are queued first). <paramref name="work"/> never throws.</summary>
    private void Then(Task<CommandResult> work, string what, Func<CommandResult, CancellationToken, Task> next) =>
        work.ContinueWith(done => queue.Enqueue(what, ct => next(done.Result, ct)), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private async Task<CommandResult> SafeAsync(Func<Task<CommandResult>> run, string what)
    {
        try
        {
            return await run();
        }
        catch (Exception e)
        {
            log.LogError(e, "{What} failed", what);
            return new CommandResult(Reply.Refused($"That failed: {e.Message}. The log has the details."), null);
        }
    }
}
