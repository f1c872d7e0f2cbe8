using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.People;
using IncidentBot.Core.Reports;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Core.Escalation;

/// <summary>
/// The rules of the chain, applied to an incident's <see cref="EscalationState"/> inside one <see cref="IncidentChange"/>:
/// every page is recorded on the state and the timeline in the same commit that asks the surfaces to send it.
/// </summary>
public static class EscalationChain
{
    /// <summary>A page sent this long after it was due is marked late (the bot was down or busy).</summary>
    public static readonly TimeSpan LateAfter = TimeSpan.FromSeconds(30);

    /// <summary>Starts a chain (declaration or reopen): pages level 1 now and sets the reminders going.</summary>
    public static void Start(IncidentChange change, EscalationState state, string why)
    {
        state.Chain++;
        state.ChainStartedAt = change.Now;
        state.Level = 0;
        state.Round = 1;
        state.StoppedBecause = null;
        state.AcknowledgedBy = null;
        state.AcknowledgedAt = null;
        state.NextPingAt = null;
        if (state.Policy.Levels.Count > 0)
        {
            Page(change, state, 1, 1, change.Now, why, byHand: null);
            state.Level = 1;
            state.NextPingAt = After(state, 1, 1, change.Now);
        }

        state.LastStatusAt = change.Now;
        state.NextStatusReminderAt = Every(change.Now, state.Policy.StatusUpdateEvery);
        state.NextCommanderReminderAt = change.Incident.Commander is null ? Every(change.Now, state.Policy.CommanderReminderEvery) : null;
    }

    /// <summary>
    /// Pages every level whose time has come, in order, each from its own due time, so a bot that was down catches up
    /// with one page per overdue level (marked late) rather than a burst. Within one catch-up a level is paged at most
    /// once: overdue repeat rounds of a level just paged are recorded, not sent again.
    /// </summary>
    public static void PageDue(IncidentChange change, EscalationState state)
    {
        var paged = new HashSet<int>();
        var skipped = new List<string>();
        while (state.StoppedBecause is null && state.NextPingAt is { } due && due <= change.Now)
        {
            var step = NextStep(state);
            if (step is null)
            {
                state.NextPingAt = null;
                break;
            }

            var (level, round) = step.Value;

            state.Level = level;
            state.Round = round;
            if (paged.Add(level))
            {
                Page(change, state, level, round, due, Unacknowledged(state, due), byHand: null);
            }
            else
            {
                skipped.Add($"level {level} round {round} (due {IncidentViews.Time(due)})");
            }

            state.NextPingAt = After(state, level, round, due);
        }

        if (skipped.Count > 0)
        {
            change.Record(EntryKind.Escalation, $"Not paged again while catching up (those levels were just paged): {string.Join("; ", skipped)}.");
        }
    }

    /// <summary>The escalate command: pages the level after the last one now. A running chain carries on from there.</summary>
    public static Outcome EscalateByHand(IncidentChange change, EscalationState state)
    {
        var incident = change.Incident;
        var next = state.Level + 1;
        if (state.Policy.Levels.Count == 0)
        {
            return Outcome.Refused($"{incident.Id} has no escalation levels to page.");
        }

        if (next > state.Policy.Levels.Count)
        {
            var last = state.Policy.Levels[^1];
            return Outcome.Refused($"{incident.Id} is already at the last escalation level ({last.Number}: {Who(last)}).");
        }

        PageNextNow(change, state, $"escalated by hand by {change.Actor.Name}", byHand: change.Actor.Name);
        return Outcome.Done($"{incident.Id} escalated to level {next} ({Who(state.Policy.Levels[next - 1])}) by {change.Actor.Name}.");
    }

    /// <summary>
    /// Pages the level after the last one now (the caller has checked there is one); a running chain carries on from
    /// there. <paramref name="byHand"/> names who asked, null when the bot did (a page that could not be delivered).
    /// </summary>
    public static void PageNextNow(IncidentChange change, EscalationState state, string why, string? byHand)
    {
        var next = state.Level + 1;
        Page(change, state, next, state.Round, change.Now, why, byHand);
        state.Level = next;
        if (state.StoppedBecause is null)
        {
            state.NextPingAt = After(state, next, state.Round, change.Now);
        }
    }

    /// <summary>Stops paging because someone acknowledged. False when the chain had already stopped.</summary>
    public static bool Acknowledge(EscalationState state, string by, DateTimeOffset at)
    {
        if (state.StoppedBecause is not null)
        {
            return false;
        }

        state.StoppedBecause = "acknowledged";
        state.AcknowledgedBy = by;
        state.AcknowledgedAt = at;
        state.NextPingAt = null;
        return true;
    }

    /// <summary>The incident is no longer open: no more pages, no more reminders. True when a chain was still paging.</summary>
    public static bool Stop(EscalationState state, string because)
    {
        var wasPaging = state.StoppedBecause is null;
        state.StoppedBecause ??= because;
        state.NextPingAt = null;
        state.NextStatusReminderAt = null;
        state.NextCommanderReminderAt = null;
        return wasPaging;
    }

    public static string Stopped(EscalationState state, DateTimeOffset at) =>
        $"Escalation stopped: {state.StoppedBecause} by {state.AcknowledgedBy ?? "?"} {ReportWriter.Duration(at - state.ChainStartedAt)} after paging began "
        + $"(level {state.Level} of {state.Policy.Levels.Count} paged). Nobody else will be paged.";

    /// <summary>The Acknowledge button on pages: valid while the incident is still in the state it was paged in.</summary>
    public static Button AcknowledgeButton(Incident incident) =>
        new("Acknowledge", new ButtonAction(incident.Id, $"state:{incident.State}", $"ack {incident.Id}"), ButtonStyle.Primary);

    public static string Who(PolicyLevel level) =>
        level.People.Count == 0 ? $"{string.Join(", ", level.Notify)}: nobody in the roster" : $"{string.Join(", ", level.Notify)}: {string.Join(", ", level.People)}";

    private static (int Level, int Round)? NextStep(EscalationState state) =>
        state.Level < state.Policy.Levels.Count ? (state.Level + 1, state.Round)
        : state.Round <= state.Policy.Repeats ? (1, state.Round + 1)
        : null;

    /// <summary>When the step after (level, round) is due, counting from when this one was due; null after the last.</summary>
    private static DateTimeOffset? After(EscalationState state, int level, int round, DateTimeOffset due)
    {
        var last = level >= state.Policy.Levels.Count && round > state.Policy.Repeats;
        return last ? null : due + state.Policy.Levels[level - 1].EscalateAfter;
    }

    private static string Unacknowledged(EscalationState state, DateTimeOffset due) =>
        $"not acknowledged for {ReportWriter.Duration(due - state.ChainStartedAt)}";

    private static DateTimeOffset? Every(DateTimeOffset from, TimeSpan every) => every > TimeSpan.Zero ? from + every : null;

    private static void Page(IncidentChange change, EscalationState state, int levelNumber, int round, DateTimeOffset due, string why, string? byHand)
    {
        var incident = change.Incident;
        var policy = state.Policy;
        var level = policy.Levels[levelNumber - 1];
        var late = change.Now - due >= LateAfter;
        state.Pings.Add(new PingRecord
        {
            Chain = state.Chain,
            Round = round,
            Level = levelNumber,
            People = [.. level.People],
            DueAt = due,
            SentAt = change.Now,
            Late = late,
            ByHand = byHand,
        });

        var where = $"level {levelNumber} of {policy.Levels.Count}" + (policy.Repeats > 0 ? $", round {round} of {policy.Repeats + 1}" : "");
        var lateText = late ? $" Late: this page was due at {IncidentViews.Time(due)}; the bot was not running then." : "";
        change.Record(EntryKind.Escalation, $"Paged {where} ({Who(level)}): {why}.{lateText}", actor: byHand ?? Actor.Bot.Name);

        var buttons = state.StoppedBecause is null ? [AcknowledgeButton(incident)] : Array.Empty<Button>();
        var mentions = level.People.Count == 0 ? $"Nobody in the roster holds {string.Join(", ", level.Notify)}" : string.Join(' ', level.People.Select(Mention.Of));
        var ask = state.StoppedBecause is null
            ? $"Acknowledge to stop the paging (`/incident ack {incident.Id}`), or page the next level now with `/incident escalate {incident.Id}`."
            : $"Already acknowledged by {state.AcknowledgedBy}; you are asked to help.";
        change.Post(new ChatMessage
        {
            Kind = MessageKind.Ping,
            Header = $"{incident.Id} · Paging {where}",
            Text = $"{mentions}: {incident.Title} ({SeverityText.Format(incident.Severity)}), {why}. {ask}{lateText}",
            Buttons = buttons,
        });

        var card = IncidentViews.Card(incident, change.Runbook);
        foreach (var person in level.People)
        {
            change.Direct(person, card with
            {
                Kind = MessageKind.Ping,
                Text = $"You are paged for {incident.Id} ({where}): {why}. {ask}{lateText}",
                Buttons = buttons,
            });
        }
    }
}
