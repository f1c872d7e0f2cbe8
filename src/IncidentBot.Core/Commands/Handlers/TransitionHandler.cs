using IncidentBot.Core.Escalation;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Core.Commands.Handlers;

/// <summary>The plain life-cycle commands: ack, mitigate, monitor, resolve, reopen, close. One class, one instance each.</summary>
public sealed class TransitionHandler(CommandSpec spec, Func<Incident, string, DateTimeOffset, Outcome> fire, IncidentService incidents) : ICommandHandler
{
    public CommandSpec Spec { get; } = spec;

    public Task<Reply> HandleAsync(CommandRequest request, CancellationToken cancellationToken) =>
        Changes.ApplyAsync(incidents, request, EntryKind.Transition, change => fire(change.Incident, change.Actor.Name, change.Now), cancellationToken);

    /// <summary>The life-cycle commands, each registered as its own handler.</summary>
    public static readonly IReadOnlyList<(CommandSpec Spec, Func<Incident, string, DateTimeOffset, Outcome> Fire)> Transitions =
    [
        (new("ack", "ack [INC-n]", "Acknowledge the incident: you are on it, escalation stops."), Acknowledgement.Acknowledge),
        (new("mitigate", "mitigate [INC-n]", "Mitigation has started."), (i, by, at) => i.BeginMitigation(by, at)),
        (new("monitor", "monitor [INC-n]", "Mitigation is applied; watch that it holds."), (i, by, at) => i.MarkMitigated(by, at)),
        (new("resolve", "resolve [INC-n]", "The incident is over for users."), (i, by, at) => i.Resolve(by, at)),
        (new("reopen", "reopen [INC-n]", "A resolved incident is back."), (i, by, at) => i.Reopen(by, at)),
        (new("close", "close [INC-n]", "Close a resolved incident for good (after the report)."), (i, by, at) => i.Close(by, at)),
    ];
}
