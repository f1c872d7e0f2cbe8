using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Core.Commands.Handlers;

public sealed class SeverityHandler(IncidentService incidents) : ICommandHandler
{
    public CommandSpec Spec { get; } = new("sev", "sev [INC-n] <1-3>", "Change the severity.");

    public IReadOnlyList<string> Problems(CommandRequest request) =>
        request.Args.Count != 1 || !SeverityText.TryParse(request.Args[0], out _) ? ["Give the new severity as 1, 2 or 3."] : [];

    public Task<Reply> HandleAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        if (Problems(request) is { Count: > 0 } problems)
        {
            return Task.FromResult(request.Usage(problems));
        }

        SeverityText.TryParse(request.Args[0], out var severity);

        return Changes.ApplyAsync(incidents, request, EntryKind.Change, change =>
        {
            var incident = change.Incident;
            if (incident.RefuseIfFinished("severity") is { } refused)
            {
                return refused;
            }

            if (incident.Severity == severity)
            {
                return Outcome.Refused($"{incident.Id} is already {SeverityText.Format(severity)}.");
            }

            var before = incident.Severity;
            incident.Severity = severity;
            return Outcome.Done($"{incident.Id} severity {SeverityText.Format(before)} -> {SeverityText.Format(severity)} ({change.Actor.Name}).");
        }, cancellationToken);
    }
}
