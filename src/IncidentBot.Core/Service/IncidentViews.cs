using System.Globalization;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Runbooks;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Core.Service;

/// <summary>How an incident reads in chat, written once for every platform.</summary>
public static class IncidentViews
{
    public static ChatMessage Card(Incident incident, Runbook runbook) => new()
    {
        Kind = MessageKind.Card,
        Header = $"{incident.Id} · {incident.Title}",
        Fields =
        [
            new Field("State", incident.State.ToString()),
            new Field("Severity", SeverityText.Format(incident.Severity)),
            new Field("Category", incident.Category),
            new Field("Commander", incident.Commander is null ? "nobody yet" : Mention.Of(incident.Commander)),
            new Field("Declared", $"{Time(incident.DeclaredAt)} by {incident.Declarer}"),
            new Field("Runbook", $"{runbook.Title}: {incident.Progress(runbook)}"),
            new Field("Affected users", incident.AffectedUsers.Count == 0 ? "none recorded" : incident.AffectedUsers.Count.ToString(CultureInfo.InvariantCulture)),
            .. StepFields(incident, runbook),
            .. Approvals.ApprovalViews.CardFields(incident),
        ],
        Footer = incident.CancelReason is null ? null : $"Cancelled as a false alarm: {incident.CancelReason}",
    };

    /// <summary>The outcome of every check and action step so far, and how the current one stands.</summary>
    private static IEnumerable<Field> StepFields(Incident incident, Runbook runbook)
    {
        var lines = incident.Steps.Where(r => r.Result is not null)
            .Select(r => $"{runbook.FindStep(r.StepId)?.Title ?? r.StepId}: {(r.Outcome == StepOutcome.Done ? "done" : "skipped")}; {r.Result}")
            .ToList();
        if (incident.CurrentStep(runbook) is { } current && StepStatus.Of(incident, current) is { State: not StepState.NotStarted } now)
        {
            lines.Add($"{current.Title} (now): {now.Text}");
        }

        if (lines.Count > 0)
        {
            yield return new Field("Step outcomes", string.Join('\n', lines));
        }
    }

    /// <summary>The card for the step the incident is at, or null when the runbook is finished.</summary>
    public static ChatMessage? StepCard(Incident incident, Runbook runbook)
    {
        var step = incident.CurrentStep(runbook);
        if (step is null)
        {
            return null;
        }

        var guard = $"step:{step.Id}";
        var header = $"{incident.Id} · {Capitalize(incident.Progress(runbook))}: {step.Title}";
        if (step.Kind == StepKind.Choice)
        {
            return new ChatMessage
            {
                Kind = MessageKind.Step,
                Header = header,
                Text = Join(step.Detail, "Choose one:"),
                Buttons = step.Branches
                    .Select(b => new Button(b.Label, new ButtonAction(incident.Id, guard, $"step {incident.Id} choose {b.Id}")))
                    .ToList(),
            };
        }

        var automation = step.Kind switch
        {
            StepKind.Check when Approvals.StepAutomation.Runs(step) => $"Check `{step.Check}`: the bot runs it and posts the result. Read it, then press Done, or Skip with a reason.",
            StepKind.Action when Approvals.StepAutomation.Runs(step) => $"Action `{Describe(step)}`: the bot posts an approval request for it. Done is accepted once it has run ok; otherwise request it again, or Skip with a reason.",
            StepKind.Check => $"Check `{step.Check}`: running checks from the bot is not available yet. Do it by hand, then press Done, or Skip with a reason.",
            StepKind.Action => $"Action `{Describe(step)}`: running actions from the bot is not available yet. Do it by hand, then press Done, or Skip with a reason.",
            _ => "",
        };

        return new ChatMessage
        {
            Kind = MessageKind.Step,
            Header = header,
            Text = Join(step.Detail, automation),
            Buttons =
            [
                new Button("Done", new ButtonAction(incident.Id, guard, $"step {incident.Id} done"), ButtonStyle.Primary),
                new Button("Skip", new ButtonAction(incident.Id, guard, $"step {incident.Id} skip")),
            ],
        };
    }

    public static string Describe(RunbookStep step) =>
        step.Action == "hook" && step.With.TryGetValue("name", out var name) ? $"hook {name}" : step.Action ?? step.Check ?? step.Id;

    public static ChatMessage Status(Incident incident, Runbook runbook)
    {
        var card = Card(incident, runbook);
        var step = incident.CurrentStep(runbook);
        var lines = new List<string>
        {
            step is null ? $"Runbook finished ({runbook.Title})." : $"Now: {incident.Progress(runbook)}: {step.Title}",
        };
        lines.AddRange(incident.Transitions.Select(t => $"{Time(t.At)} {t.From} -> {t.To} by {t.By}"));
        return card with { Kind = MessageKind.Info, Text = string.Join('\n', lines) };
    }

    public static ChatMessage List(IReadOnlyList<Incident> incidents, IReadOnlyList<Incident> all) => new()
    {
        Header = incidents.Count == 0 ? "No open incidents" : $"{incidents.Count} open incident{(incidents.Count == 1 ? "" : "s")}",
        Text = string.Join('\n', incidents.Select(i =>
            $"{i.Id} {SeverityText.Format(i.Severity)} {i.State} · {i.Title} (declared {Time(i.DeclaredAt)}, commander {i.Commander ?? "none"})")),
        Footer = all.Count > incidents.Count ? $"{all.Count - incidents.Count} resolved, closed or cancelled not shown." : null,
    };

    public static ChatMessage Timeline(Incident incident, IReadOnlyList<TimelineEntry> entries) => new()
    {
        Header = $"{incident.Id} timeline ({entries.Count} entries)",
        Text = string.Join('\n', entries.Select(Line)),
    };

    public static string Line(TimelineEntry e) => $"{Time(e.At)} [{e.Kind}] {e.Actor}: {e.Text}";

    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static string Join(params string[] parts) => string.Join('\n', parts.Where(p => p.Length > 0));

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
