using System.Globalization;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Service;

namespace IncidentBot.Core.Approvals;

/// <summary>How approval requests, their results and checks read in chat.</summary>
public static class ApprovalViews
{
    private const int ShownTargets = 20;

    /// <summary>The preview with Approve / Deny. <paramref name="maskEmails"/>: the room is not private, so addresses are masked.</summary>
    public static ChatMessage Request(string incidentId, ApprovalRequest request, IReadOnlyList<string> roles, string summary, bool maskEmails)
    {
        var lines = new List<string> { summary };
        lines.AddRange(request.Targets.Take(ShownTargets).Select(t => $"- {t.Shown(maskEmails)}: {t.Note}"));
        if (request.Targets.Count > ShownTargets)
        {
            lines.Add($"- ... and {request.Targets.Count - ShownTargets} more.");
        }

        if (request.IncludeProtected)
        {
            lines.Add("Includes protected accounts (responders or admins) on purpose: check the list.");
        }

        var who = request.Destructive ? $"{request.RequestedBy} asked for it and can't approve it" : $"requested by {request.RequestedBy}";
        var needs = request.ApprovalsNeeded == 1 ? "1 approval" : $"{request.ApprovalsNeeded} approvals (more than the single-approver limit of users)";
        lines.Add($"Needs {needs} from: {string.Join(", ", roles)}; {who}. Expires {IncidentViews.Time(request.ExpiresAt)}.");
        var guard = $"approval:{request.Id}";
        var confirm = request.Destructive ? $"Run {request.Title} on {Count(request.ToRun.Count(), "target")} now?" : null;
        return new ChatMessage
        {
            Kind = MessageKind.Approval,
            Header = $"{incidentId} · Approval {request.Id}: {request.Title}",
            Text = string.Join('\n', lines),
            Buttons =
            [
                new Button("Approve", new ButtonAction(incidentId, guard, $"approve {incidentId} {request.Id}"), request.Destructive ? ButtonStyle.Danger : ButtonStyle.Primary, confirm),
                new Button("Deny", new ButtonAction(incidentId, guard, $"deny {incidentId} {request.Id}")),
            ],
        };
    }

    public static ChatMessage Result(string incidentId, ApprovalRequest request, bool maskEmails)
    {
        var message = Result(incidentId, request);
        return maskEmails ? message with { Text = RoomPrivacy.MaskAll(message.Text) } : message;
    }

    private static ChatMessage Result(string incidentId, ApprovalRequest request)
    {
        var failed = request.Results.Where(r => !r.Succeeded).ToList();
        var succeeded = request.Results.Count - failed.Count;
        var skipped = request.Targets.Count(t => t.AlreadyDone);
        var header = request.State switch
        {
            ApprovalState.Done => $"{incidentId} · {request.Id} {request.Title}: done for all {Count(request.Results.Count, "target")}",
            ApprovalState.PartlyDone => $"{incidentId} · {request.Id} {request.Title}: NOT finished, {failed.Count} of {request.Results.Count} failed",
            _ => $"{incidentId} · {request.Id} {request.Title}: failed for all {Count(request.Results.Count, "target")}",
        };
        var lines = new List<string>();
        lines.AddRange(failed.Take(ShownTargets).Select(r => $"- FAILED {r.Target}: {r.Detail}"));
        if (failed.Count > ShownTargets)
        {
            lines.Add($"- ... and {failed.Count - ShownTargets} more failed (see `/incident audit`).");
        }

        lines.AddRange(request.Results.Where(r => r.Succeeded).Take(ShownTargets).Select(r => $"- ok {r.Target}: {r.Detail}"));
        if (succeeded > ShownTargets)
        {
            lines.Add($"- ... and {succeeded - ShownTargets} more ok.");
        }

        if (skipped > 0)
        {
            lines.Add($"{Count(skipped, "target")} already in that state, left alone.");
        }

        if (failed.Count > 0)
        {
            lines.Add("Request it again to finish what is left: targets already done are skipped.");
        }

        return new ChatMessage { Kind = failed.Count > 0 ? MessageKind.Warning : MessageKind.Info, Header = header, Text = string.Join('\n', lines) };
    }

    public static string Verdict(CheckResult result) => result.Healthy switch { true => "ok", false => "PROBLEM", null => "unknown" };

    public static ChatMessage Check(string incidentId, CheckResult result)
    {
        var verdict = Verdict(result);
        return new ChatMessage
        {
            Kind = result.Healthy == false ? MessageKind.Warning : MessageKind.Info,
            Header = $"{incidentId} · Check {result.Check}: {verdict}",
            Text = string.Join('\n', new[] { result.Summary }.Concat(result.Lines.Select(l => $"- {l}"))),
        };
    }

    /// <summary>What the incident card adds: every switch while it is on, and requests waiting for approval.</summary>
    public static IEnumerable<Field> CardFields(Incidents.Incident incident)
    {
        foreach (var on in incident.Switches)
        {
            yield return new Field(on.Display.ToUpperInvariant(), $"ON since {IncidentViews.Time(on.Since)}; review by {IncidentViews.Time(on.ReviewBy)}; turn it off with {on.HowToTurnOff(incident.Id)}");
        }

        var pending = incident.Approvals.Where(a => a.State == ApprovalState.Pending).Select(a => $"{a.Id} {a.Title}").ToList();
        if (pending.Count > 0)
        {
            yield return new Field("Awaiting approval", string.Join(", ", pending));
        }
    }

    public static string Count(int n, string noun) => $"{n.ToString(CultureInfo.InvariantCulture)} {noun}{(n == 1 ? "" : "s")}";
}
