using IncidentBot.Core.Approvals;

namespace IncidentBot.Core.Commands;

/// <summary>
/// What a command or a button press came to, as a type every adapter renders in its own way (a Slack card loses its
/// buttons, the terminal prints a line). Nothing downstream re-reads the outcome from a message's text or kind.
/// </summary>
public abstract record CommandOutcome(string Text)
{
    public bool Succeeded => this is not Refused;
}

/// <summary>Nothing changed; <see cref="CommandOutcome.Text"/> says why, in a sentence a responder understands.</summary>
public record Refused(string Text) : CommandOutcome(Text);

/// <summary>
/// Refused because the request was already settled (decided, run, expired or withdrawn) before this press: nothing
/// changed, but a card still showing its buttons is out of date and can show <paramref name="State"/> instead.
/// </summary>
public sealed record AlreadySettled(string ApprovalId, ApprovalState State, string Text) : Refused(Text);

/// <summary>The change was made and recorded (a step done, a note, a transition, a request posted).</summary>
public sealed record Recorded(string Text) : CommandOutcome(Text);

/// <summary>An approval was counted but the request needs more: <paramref name="Given"/> of <paramref name="Needed"/>.</summary>
public sealed record ApprovalCounted(string ApprovalId, string By, int Given, int Needed, string Text) : CommandOutcome(Text);

/// <summary>The approved action ran; <paramref name="Result"/> says how it went for its targets.</summary>
public sealed record ActionRan(string ApprovalId, string ApprovedBy, RunResult Result, string Text) : CommandOutcome(Text);

/// <summary>The request ended without running: denied, expired or withdrawn.</summary>
public sealed record RequestEnded(string ApprovalId, ApprovalState State, string By, string Text) : CommandOutcome(Text);

public enum RunResult
{
    Ok,
    Partly,
    Failed,
}
