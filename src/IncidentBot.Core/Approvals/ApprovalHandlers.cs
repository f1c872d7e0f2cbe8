using IncidentBot.Core.Commands;
using IncidentBot.Core.Commands.Handlers;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Runbooks;
using IncidentBot.Core.Service;

namespace IncidentBot.Core.Approvals;

/// <summary>Requests one Clerk action on users (revoke, ban, ...): posts the preview with Approve / Deny. One instance per catalogue action with a user command.</summary>
public sealed class ActionHandler(ActionEntry entry, ApprovalService approvals) : ICommandHandler
{
    /// <summary>The catalogue's actions on users that have a command of their own.</summary>
    public static IEnumerable<ActionEntry> Actions => Catalogue.Actions.Where(a => a.TargetsUsers && a.Command is not null);

    public CommandSpec Spec { get; } = new(entry.Command!, $"{entry.Command} [INC-n] [users...] [{ApprovalService.IncludeProtectedFlag}]",
        $"{entry.Summary}, after approval. Users are ids or emails; default: the incident's affected users.");

    public IReadOnlyList<string> Problems(CommandRequest request) => Problems(Users(request));

    public async Task<Reply> HandleAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var includeProtected = request.Args.Contains(ApprovalService.IncludeProtectedFlag, StringComparer.OrdinalIgnoreCase);
        var users = Users(request);
        if (Problems(users) is { Count: > 0 } problems)
        {
            return request.Usage(problems);
        }

        var outcome = await approvals.RequestAsync(request.Incident, request.Actor, request.Context.Origin, entry.Name, users, new Dictionary<string, string>(), includeProtected, null, cancellationToken);
        return Answer(outcome);
    }

    private static IReadOnlyList<string> Problems(List<string> users) =>
        users.Where(u => !AffectedHandler.IsUserReference(u)).ToList() is { Count: > 0 } bad
            ? [$"Not a Clerk user id (user_...) or an email: {string.Join(", ", bad)}."]
            : [];

    private static List<string> Users(CommandRequest request) => request.Args
        .Where(a => !a.Equals(ApprovalService.IncludeProtectedFlag, StringComparison.OrdinalIgnoreCase))
        .SelectMany(a => a.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        .Distinct(StringComparer.OrdinalIgnoreCase)
        .ToList();

    internal static Reply Answer(Outcome outcome) =>
        outcome.Succeeded ? Reply.Text(outcome.Message) with { PostedInRoom = true } : Reply.Refused(outcome.Message);
}

/// <summary>Requests a named HTTP hook from configuration (emergency bypass on/off, pause webhooks, ...).</summary>
public sealed class HookHandler(ApprovalService approvals) : ICommandHandler
{
    public CommandSpec Spec { get; } = new("hook", "hook [INC-n] <name>", "Call a configured hook (Hooks:<name>), after approval.");

    public IReadOnlyList<string> Problems(CommandRequest request) => request.Args.Count == 1 ? [] : ["Name one hook."];

    public async Task<Reply> HandleAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        if (Problems(request) is { Count: > 0 } problems)
        {
            return request.Usage(problems);
        }

        var parameters = new Dictionary<string, string> { ["name"] = request.Args[0] };
        return ActionHandler.Answer(await approvals.RequestAsync(request.Incident, request.Actor, request.Context.Origin, "hook", [], parameters, false, null, cancellationToken));
    }
}

public sealed class CheckHandler(CheckService checks) : ICommandHandler
{
    public CommandSpec Spec { get; } = new("check", "check [INC-n] <name>", $"Run a check now and post the result: {string.Join(", ", Catalogue.Checks.Where(c => c.Automated).Select(c => c.Name))}.");

    public IReadOnlyList<string> Problems(CommandRequest request) => request.Args.FirstOrDefault() switch
    {
        null => ["Name the check."],
        var name when Catalogue.Check(name) is not { Automated: true } => [$"'{name}' is not a check."],
        _ => [],
    };

    public async Task<Reply> HandleAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        if (Problems(request) is { Count: > 0 } problems)
        {
            return request.Usage(problems);
        }

        var name = request.Args[0];

        var outcome = await checks.RunAndPostAsync(request.Incident, name, new Dictionary<string, string>(), null, cancellationToken);
        return Reply.Text(outcome.Message) with { PostedInRoom = true };
    }
}

public sealed class ApproveHandler(ApprovalService approvals) : ICommandHandler
{
    /// <summary>
    /// A decision's typed outcome. A denial, a counted approval and a run that went fine say in the room what the presser
    /// needs to know; a refusal, an expiry, a withdrawal or a run with failures is also told to the presser directly.
    /// </summary>
    internal static Reply Decided(CommandOutcome outcome) => Reply.For(outcome) with
    {
        PostedInRoom = outcome is RequestEnded { State: ApprovalState.Denied } or ApprovalCounted or ActionRan { Result: RunResult.Ok },
    };

    public CommandSpec Spec { get; } = new("approve", "approve [INC-n] <A-id>", "Approve a requested action (what the Approve button runs).");

    public IReadOnlyList<string> Problems(CommandRequest request) => NameTheRequest(request);

    internal static IReadOnlyList<string> NameTheRequest(CommandRequest request) => request.Args.Count < 1 ? ["Name the request, e.g. A1."] : [];

    public async Task<Reply> HandleAsync(CommandRequest request, CancellationToken cancellationToken) =>
        Problems(request) is { Count: > 0 } problems
            ? request.Usage(problems)
            : Decided(await approvals.DecideAsync(request.Incident, request.Args[0], request.Actor, request.Context.Origin, true, null, cancellationToken));
}

public sealed class DenyHandler(ApprovalService approvals) : ICommandHandler
{
    public CommandSpec Spec { get; } = new("deny", "deny [INC-n] <A-id> [reason]", "Deny a requested action (what the Deny button runs).");

    public IReadOnlyList<string> Problems(CommandRequest request) => ApproveHandler.NameTheRequest(request);

    public async Task<Reply> HandleAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        if (Problems(request) is { Count: > 0 } problems)
        {
            return request.Usage(problems);
        }

        var reason = request.Args.Count > 1 ? string.Join(' ', request.Args.Skip(1)) : null;
        return ApproveHandler.Decided(await approvals.DecideAsync(request.Incident, request.Args[0], request.Actor, request.Context.Origin, false, reason, cancellationToken));
    }
}

public sealed class AuditHandler(IncidentService incidents) : ICommandHandler
{
    private const int Shown = 200;

    public CommandSpec Spec { get; } = new("audit", "audit [INC-n]", "Show the incident's audit log: requests, decisions, every Clerk call and result.");

    public Task<Reply> HandleAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var entries = incidents.Audit(request.Incident);
        var lines = entries.TakeLast(Shown).Select(e =>
            $"{IncidentViews.Time(e.At)} {e.Actor} {e.Event} {e.Action}{(e.ApprovalId is null ? "" : $" [{e.ApprovalId}]")}: {e.Detail}");
        var message = new ChatMessage
        {
            Header = $"{request.Incident} audit ({entries.Count} entries{(entries.Count > Shown ? $", last {Shown} shown" : "")})",
            Text = entries.Count == 0 ? "No action was requested or run." : string.Join('\n', lines),
        };
        return Task.FromResult(new Reply(message));
    }
}
