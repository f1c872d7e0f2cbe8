using IncidentBot.Core.Commands;
using IncidentBot.Core.Incidents;

namespace IncidentBot.Core.Messaging;

/// <summary>What one change to an incident means for the chat: the refreshed card, new posts in its room, direct messages.</summary>
/// <param name="Incident">The incident as saved by this change.</param>
/// <param name="Card">The incident card as it now reads; surfaces that pin a card update it in place.</param>
/// <param name="Posts">Messages for the incident's room, in order.</param>
/// <param name="Directs">Messages for one person each (escalation pings).</param>
/// <param name="Declared">True for the change that created the incident: surfaces open its room.</param>
/// <param name="Origin">Who caused the change and where to answer them privately; null for the bot's own changes (timers, automation).</param>
public sealed record Publication(
    Incident Incident,
    ChatMessage Card,
    IReadOnlyList<ChatMessage> Posts,
    IReadOnlyList<DirectMessage> Directs,
    bool Declared = false,
    Origin? Origin = null)
{
    /// <summary>Nothing on the incident changed (progress of a running action): the card reads as before, so surfaces needn't update it.</summary>
    public bool CardUnchanged { get; init; }
}

public sealed record DirectMessage(string PersonName, ChatMessage Message);

/// <summary>
/// The answer to the person who typed a command or pressed a button, shown only to them where the platform can:
/// the typed <see cref="Outcome"/> (what adapters act on) and the message that says it.
/// </summary>
public sealed record Reply(ChatMessage Message)
{
    /// <summary>What the command came to; a reply made from a message alone counts as recorded.</summary>
    public CommandOutcome Outcome { get; init; } = new Recorded(Message.Text);

    public static Reply Text(string text) => new(ChatMessage.Plain(text));

    public static Reply Refused(string text) => new(ChatMessage.Warn(text)) { Outcome = new Commands.Refused(text) };

    /// <summary>The reply for a typed outcome: a refusal or a run that did not fully succeed reads as a warning.</summary>
    public static Reply For(CommandOutcome outcome) =>
        new(outcome is Commands.Refused or ActionRan { Result: not RunResult.Ok } ? ChatMessage.Warn(outcome.Text) : ChatMessage.Plain(outcome.Text)) { Outcome = outcome };

    /// <summary>Nothing to say to the invoker beyond what the incident's room already shows.</summary>
    public static readonly Reply None = new(ChatMessage.Plain(""));

    /// <summary>The same words were posted in the incident's room; an invoker standing in that room needn't see them twice.</summary>
    public bool PostedInRoom { get; init; }

    /// <summary>The incident the reply is about, when the command created it (declare).</summary>
    public string? IncidentId { get; init; }

    public bool IsEmpty => Message.Text.Length == 0 && Message.Header is null && Message.Fields.Count == 0;
}
