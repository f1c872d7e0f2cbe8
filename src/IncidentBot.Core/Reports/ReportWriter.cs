using System.Globalization;
using System.Text;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Runbooks;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Core.Reports;

/// <summary>Section <c>Reports</c>.</summary>
public sealed class ReportOptions
{
    public const string Section = "Reports";

    /// <summary>Folder the Markdown reports are written to, relative to the content root.</summary>
    public string Path { get; set; } = "data/reports";
}

/// <summary>Writes the post-incident report in the seed's template, from the incident, its timeline, its notes and its audit log.</summary>
public static class ReportWriter
{
    public static string Write(Incident incident, Runbook runbook, IReadOnlyList<TimelineEntry> timeline, IReadOnlyList<AuditEntry> audit, DateTimeOffset now)
    {
        var md = new StringBuilder();
        md.AppendLine($"# Incident Report: {incident.Title}");
        md.AppendLine();
        if (incident.Drill)
        {
            md.AppendLine($"> {DrillMarking.Tag}: a practice incident run against the embedded sandbox, not a real outage; left out of real metrics.");
            md.AppendLine();
        }

        var resolved = incident.LastTransitionTo(IncidentState.Resolved);
        var acknowledged = incident.FirstTransitionTo(IncidentState.Investigating);
        var mitigated = incident.FirstTransitionTo(IncidentState.Monitoring) ?? incident.FirstTransitionTo(IncidentState.Mitigating);
        var end = resolved?.At ?? incident.LastTransitionTo(IncidentState.Cancelled)?.At;

        md.AppendLine("## Summary");
        md.AppendLine($"- **Incident:** {incident.Id} ({incident.Category}; runbook: {runbook.Title}; state: {incident.State})");
        md.AppendLine($"- **Date:** {incident.DeclaredAt.UtcDateTime:yyyy-MM-dd}");
        md.AppendLine(end is { } e
            ? $"- **Duration:** {Duration(e - incident.DeclaredAt)}"
            : $"- **Duration:** ongoing ({Duration(now - incident.DeclaredAt)} so far)");
        md.AppendLine($"- **Severity:** P{(int)incident.Severity} ({SeverityText.Format(incident.Severity)})");
        md.AppendLine($"- **Impact:** {Impact(incident)}");
        md.AppendLine($"- **Declared by:** {incident.Declarer}");
        md.AppendLine($"- **Commander:** {incident.Commander ?? "none named"}");
        md.AppendLine(acknowledged is null
            ? "- **Time to acknowledge:** never acknowledged"
            : $"- **Time to acknowledge:** {Duration(acknowledged.At - incident.DeclaredAt)} (by {acknowledged.By})");
        if (incident.CancelReason is not null)
        {
            md.AppendLine($"- **Cancelled as a false alarm:** {incident.CancelReason}");
        }

        md.AppendLine();
        md.AppendLine("## Timeline");
        md.AppendLine($"- {Clock(incident.DeclaredAt)} - Incident detected (declared by {incident.Declarer})");
        md.AppendLine(acknowledged is null ? "- not recorded - Initial response" : $"- {Clock(acknowledged.At)} - Initial response (acknowledged by {acknowledged.By})");
        md.AppendLine(mitigated is null ? "- not recorded - Mitigation applied" : $"- {Clock(mitigated.At)} - Mitigation applied ({mitigated.By})");
        md.AppendLine(resolved is null ? "- not recorded - Resolution confirmed" : $"- {Clock(resolved.At)} - Resolution confirmed (resolved by {resolved.By})");
        md.AppendLine();
        md.AppendLine("### Every entry");
        foreach (var entry in timeline)
        {
            md.AppendLine($"- {entry.At.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC · {entry.Actor} · {entry.Kind} · {Plain(entry.Text)}");
        }

        if (timeline.Count == 0)
        {
            md.AppendLine("Nothing recorded.");
        }

        md.AppendLine();
        md.AppendLine("## Root Cause");
        md.AppendLine(Notes(incident, "root-cause") ?? "Nothing recorded. Add it with `/incident note root-cause: ...`.");
        md.AppendLine();
        md.AppendLine("## Resolution");
        md.AppendLine(Notes(incident, "resolution") ?? "Nothing recorded. Add it with `/incident note resolution: ...`.");
        md.AppendLine();
        md.AppendLine($"Runbook steps ({runbook.Title}, {incident.Progress(runbook)}):");
        foreach (var record in incident.Steps)
        {
            var step = runbook.FindStep(record.StepId);
            var what = record.Outcome switch
            {
                StepOutcome.Done => "done",
                StepOutcome.Skipped => $"skipped ({record.Reason})",
                _ => $"answered: {step?.Branches.FirstOrDefault(b => b.Id == record.Branch)?.Label ?? record.Branch}",
            };
            md.AppendLine($"- {Clock(record.At)} {step?.Title ?? record.StepId}: {what} by {record.By}");
        }

        if (incident.Steps.Count == 0)
        {
            md.AppendLine("- No step was completed.");
        }

        md.AppendLine();
        md.AppendLine("## Prevention");
        var prevention = incident.Notes.Where(n => n.Kind == "prevention").ToList();
        foreach (var note in prevention)
        {
            md.AppendLine($"- [ ] {note.Text}");
        }

        if (prevention.Count == 0)
        {
            md.AppendLine("Nothing recorded. Add action items with `/incident note prevention: ...`.");
        }

        md.AppendLine();
        md.AppendLine("## Lessons Learned");
        md.AppendLine(Notes(incident, "lesson") ?? "Nothing recorded. Add them with `/incident note lesson: ...`.");
        md.AppendLine();
        md.AppendLine("## Actions taken");
        foreach (var entry in audit)
        {
            var approval = entry.ApprovalId is null ? "" : $" [{entry.ApprovalId}]";
            md.AppendLine($"- {entry.At.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC · {entry.Actor} · {entry.Event} · {entry.Action}{approval}: {entry.Detail}");
        }

        if (audit.Count == 0)
        {
            md.AppendLine("No automated action was requested or run.");
        }

        return md.ToString();
    }

    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }

        var hours = (int)span.TotalHours;
        var minutes = span.Minutes;
        var parts = new List<string>();
        if (hours > 0)
        {
            parts.Add($"{hours} hour{(hours == 1 ? "" : "s")}");
        }

        parts.Add($"{minutes} minute{(minutes == 1 ? "" : "s")}");
        if (hours == 0 && span.Seconds > 0)
        {
            parts.Add($"{span.Seconds} second{(span.Seconds == 1 ? "" : "s")}");
        }

        return string.Join(' ', parts);
    }

    private static string Impact(Incident incident)
    {
        var users = incident.AffectedUsers.Count == 0 ? "no affected users recorded" : $"{incident.AffectedUsers.Count} affected user{(incident.AffectedUsers.Count == 1 ? "" : "s")} recorded";
        var notes = Notes(incident, "impact");
        return notes is null ? users : $"{users}; {notes.Replace('\n', ' ')}";
    }

    private static string? Notes(Incident incident, string kind)
    {
        var notes = incident.Notes.Where(n => n.Kind == kind).Select(n => n.Text).ToList();
        return notes.Count == 0 ? null : string.Join('\n', notes.Count == 1 ? notes : notes.Select(n => $"- {n}"));
    }

    private static string Clock(DateTimeOffset at) => at.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture);

    private static string Plain(string text) => Mention.Pattern.Replace(text, m => m.Groups["name"].Value).Replace('\n', ' ');
}
