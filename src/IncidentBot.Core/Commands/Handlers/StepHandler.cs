using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Core.Commands.Handlers;

public sealed class StepHandler(IncidentService incidents) : ICommandHandler
{
    public CommandSpec Spec { get; } = new("step", "step [INC-n] done | skip <reason> | choose <branch>", "Mark the current runbook step done, skip it, or answer a choice.");

    public Task<Reply> HandleAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var verb = request.Args.FirstOrDefault()?.ToLowerInvariant();
        var rest = request.Args.Count > 1 ? request.Text[(request.Text.IndexOf(' ') + 1)..].Trim() : "";
        Func<IncidentChange, Outcome>? apply = verb switch
        {
            "done" => c => c.Incident.CompleteStep(c.Runbook, c.Actor.Name, c.Now),
            "skip" when rest.Length > 0 => c => c.Incident.SkipStep(c.Runbook, rest, c.Actor.Name, c.Now),
            "choose" when rest.Length > 0 => c => c.Incident.Choose(c.Runbook, rest, c.Actor.Name, c.Now),
            _ => null,
        };

        if (apply is null)
        {
            var problem = verb switch
            {
                "skip" => $"Skipping a step needs a reason: `/incident step {request.Incident} skip <reason>`.",
                "choose" => "Say which branch: `/incident step choose <branch>`.",
                null => "Say what to do with the step.",
                _ => $"'{verb}' is not done, skip or choose.",
            };
            return Task.FromResult(verb == "skip" ? Reply.Refused(problem) : request.Usage(problem));
        }

        return Changes.ApplyAsync(incidents, request, EntryKind.Step, apply, cancellationToken, Changes.PostNextStep);
    }
}
