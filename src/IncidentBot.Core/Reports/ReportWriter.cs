using System.Globalization;
using System.Text;
using IncidentBot.Core.Approvals;
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
        md.AppendLine($"# Incident Report: {Inline(incident.Title)}");
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
        md.AppendLine($"- **Declared by:** {Inline(incident.Declarer)}");
        md.AppendLine($"- **Commander:** {(incident.Commander is null ? "none named" : Inline(incident.Commander))}");
        md.AppendLine(acknowledged is null
            ? "- **Time to acknowledge:** never acknowledged"
            : $"- **Time to acknowledge:** {Duration(acknowledged.At - incident.DeclaredAt)} (by {Inline(acknowledged.By)})");
        if (incident.CancelReason is not null)
        {
            md.AppendLine($"- **Cancelled as a false alarm:** {Inline(incident.CancelReason)}");
        }

        md.AppendLine();
        md.AppendLine("## Timeline");
        md.AppendLine($"- {Clock(incident.DeclaredAt)} - Incident detected (declared by {Inline(incident.Declarer)})");
        md.AppendLine(acknowledged is null ? "- not recorded - Initial response" : $"- {Clock(acknowledged.At)} - Initial response (acknowledged by {Inline(acknowledged.By)})");
        md.AppendLine(mitigated is null ? "- not recorded - Mitigation applied" : $"- {Clock(mitigated.At)} - Mitigation applied ({Inline(mitigated.By)})");
        md.AppendLine(resolved is null ? "- not recorded - Resolution confirmed" : $"- {Clock(resolved.At)} - Resolution confirmed (resolved by {Inline(resolved.By)})");
        md.AppendLine();
        md.AppendLine("### Every entry");
        foreach (var entry in timeline)
        {
            md.AppendLine($"- {entry.At.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC · {Inline(entry.Actor)} · {entry.Kind} · {Inline(entry.Text)}");
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
                StepOutcome.Skipped => $"skipped ({Inline(record.Reason ?? "")})",
                _ => $"answered: {Inline(step?.Branches.FirstOrDefault(b => b.Id == record.Branch)?.Label ?? record.Branch ?? "")}",
            };
            md.AppendLine($"- {Clock(record.At)} {Inline(step?.Title ?? record.StepId)}: {what} by {Inline(record.By)}{(record.Result is null ? "" : $"; outcome: {Inline(record.Result)}")}");
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
            md.AppendLine($"- [ ] {Inline(note.Text)}");
        }

        if (prevention.Count == 0)
        {
            md.AppendLine("Nothing recorded. Add action items with `/incident note prevention: ...`.");
        }

        md.AppendLine();
        md.AppendLine("## Lessons Learned");
        md.AppendLine(Notes(incident, "lesson") ?? "Nothing recorded. Add them with `/incident note lesson: ...`.");
        md.AppendLine();
        md.AppendLine("## Actions");
        foreach (var request in incident.Approvals)
        {
            md.AppendLine(Action(request, runbook, audit));
        }

        if (incident.Approvals.Count == 0)
        {
            md.AppendLine("No action was requested.");
        }

        md.AppendLine();
        md.AppendLine("## Actions taken");
        foreach (var entry in audit)
        {
            var approval = entry.ApprovalId is null ? "" : $" \\[{Inline(entry.ApprovalId)}\\]";
            md.AppendLine($"- {entry.At.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC · {Inline(entry.Actor)} · {Inline(entry.Event)} · {Inline(entry.Action)}{approval}: {Inline(entry.Detail)}");
        }

        if (audit.Count == 0)
        {
            md.AppendLine("No automated action was requested or run.");
        }

        return md.ToString();
    }

    /// <summary>One request: who asked, who approved or denied, its targets, how it ended, and the trace ids of its API calls.</summary>
    private static string Action(ApprovalRequest request, Runbook runbook, IReadOnlyList<AuditEntry> audit)
    {
        var step = request.StepId is null ? "" : $" (step: {Inline(runbook.FindStep(request.StepId)?.Title ?? request.StepId)})";
        var decisions = request.Decisions.Count == 0
            ? "nobody decided"
            : string.Join(", ", request.Decisions.Select(d => $"{(d.Approved ? "approved" : "denied")} by {Inline(d.By)} at {Clock(d.At)}{(d.Reason is { Length: > 0 } r ? $" ({Inline(r)})" : "")}"));
        var targets = request.Targets.Count == 0 ? "none" : string.Join(", ", request.Targets.Take(20).Select(t => Inline(t.Label))) + (request.Targets.Count > 20 ? $", and {request.Targets.Count - 20} more" : "");
        var failed = request.Results.Count(r => !r.Succeeded);
        var result = request.State switch
        {
            ApprovalState.Done => $"ran ok ({request.Results.Count} ok)",
            ApprovalState.PartlyDone => $"ran, NOT finished ({request.Results.Count - failed} ok, {failed} failed)",
            ApprovalState.Failed => $"ran and FAILED ({failed} failed)",
            _ => ApprovalService.Describe(request.State),
        };
        var traces = audit.Where(a => a.ApprovalId == request.Id && a.TraceId is not null).Select(a => a.TraceId!).Distinct().ToList();
        return $"- **{request.Id} {Inline(request.Title)}**{step}: asked by {Inline(request.RequestedBy)} at {Clock(request.RequestedAt)}; {decisions}; targets: {targets}; result: {result}; "
            + $"audit trace ids: {(traces.Count == 0 ? "none" : string.Join(", ", traces.Select(Inline)))}";
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
        var notes = incident.Notes.Where(n => n.Kind == "impact").Select(n => n.Text).ToList();
        return notes.Count == 0 ? users : $"{users}; {Inline(string.Join("; ", notes))}";
    }

    /// <summary>The notes of one kind as Markdown paragraphs (one note) or a list (several), every line escaped.</summary>
    private static string? Notes(Incident incident, string kind)
    {
        var notes = incident.Notes.Where(n => n.Kind == kind).Select(n => n.Text).ToList();
        return notes.Count switch
        {
            0 => null,
            1 => Block(notes[0]),
            _ => string.Join('\n', notes.Select(n => $"- {Inline(n)}")),
        };
    }

    private static string Clock(DateTimeOffset at) => at.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture);

    /// <summary>
    /// Someone's text inside a line of the report: mentions as plain names, one line, control characters dropped, and
    /// Markdown's inline syntax escaped (emphasis, code, links and images, raw HTML), so it reads as the words typed.
    /// </summary>
    public static string Inline(string? text) => Escape(Plain(text ?? "").Replace('\n', ' '));

    /// <summary>Someone's text as lines of their own: each escaped like <see cref="Inline"/>, and none can start a heading, quote, list, table or fence.</summary>
    public static string Block(string text) =>
        string.Join('\n', Plain(text).Split('\n').Select(line => LineStart(Escape(line))));

    private static string Plain(string text) => Clean(Mention.Pattern.Replace(text, m => m.Groups["name"].Value));

    /// <summary>Control characters other than line breaks dropped (a tab becomes a space, CR goes); lone surrogates become U+FFFD.</summary>
    private static string Clean(string text)
    {
        var clean = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                clean.Append(c).Append(text[++i]);
            }
            else if (char.IsSurrogate(c))
            {
                clean.Append('\uFFFD');
            }
            else if (c == '\t')
            {
                clean.Append(' ');
            }
            else if (c == '\n' || !char.IsControl(c))
            {
                clean.Append(c);
            }
        }

        return clean.ToString();
    }

    private static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            switch (c)
            {
                case '<':
                    escaped.Append("&lt;");
                    break;
                case '>':
                    escaped.Append("&gt;");
                    break;
                case '\\' or '`' or '*' or '[' or ']' or '|' or '~':
                    escaped.Append('\\').Append(c);
                    break;
                default:
                    escaped.Append(c);
                    break;
            }
        }

        return escaped.ToString();
    }

    /// <summary>A backslash before what would make the line a heading, list item, setext underline or ordered list.</summary>
    private static string LineStart(string line)
    {
        var indent = line.Length - line.TrimStart(' ').Length;
        var rest = line[indent..];
        if (rest.Length == 0)
        {
            return line;
        }

        var marker = rest[0] is '#' or '-' or '+' or '='
            || (char.IsAsciiDigit(rest[0]) && rest.TrimStart("0123456789".ToCharArray()) is [('.' or ')'), ..]);
        if (!marker)
        {
            return line;
        }

        var at = char.IsAsciiDigit(rest[0]) ? rest.Length - rest.TrimStart("0123456789".ToCharArray()).Length : 0;
        return line[..indent] + rest[..at] + "\\" + rest[at..];
    }
}
