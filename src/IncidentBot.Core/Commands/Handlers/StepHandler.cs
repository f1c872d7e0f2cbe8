using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Core.Commands.Handlers;

public sealed class StepHandler(IncidentService incidents) : ICommandHandler
{
    public CommandSpec Spec { get; } = new("step", "step [INC-n] done | skip <reason> | choose <branch>", "Mark the current runbook step done, skip it, or answer a choice.");

    public IReadOnlyList<string> Problems(CommandRequest request)
    {
        var (verb, rest) = Read(request);
        return verb switch
        {
            "done" => [],
            "skip" or "choose" when rest.Length > 0 => [],
            "skip" => [$"Skipping a step needs a reason: `/incident step {request.IncidentOrPlaceholder} skip <reason>`."],
            "choose" => [$"Say which branch: `/incident step {request.IncidentOrPlaceholder} choose <branch>`."],
            null => ["Say what to do with the step: done, skip <reason> or choose <branch>."],
            _ => [$"'{verb}' is not done, skip or choose."],
        };
    }

    public Task<Reply> HandleAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        if (Problems(request) is { Count: > 0 } problems)
        {
            return Task.FromResult(request.Usage(problems));
        }

        var (verb, rest) = Read(request);
        Func<IncidentChange, Outcome> apply = verb switch
        {
            "skip" => c => c.Incident.SkipStep(c.Runbook, rest, c.Actor.Name, c.Now),
            "choose" => c => c.Incident.Choose(c.Runbook, rest, c.Actor.Name, c.Now),
            "done" => c => c.Incident.CompleteStep(c.Runbook, c.Actor.Name, c.Now),
            _ => throw new InvalidOperationException($"step '{verb}' got past Problems"),
        };

        return Changes.ApplyAsync(incidents, request, EntryKind.Step, apply, cancellationToken, Changes.PostNextStep);
    }

    private static (string? Verb, string Reason) Read(CommandRequest request) =>
        (request.Args.FirstOrDefault()?.ToLowerInvariant(), request.Args.Count > 1 ? request.Text[(request.Text.IndexOf(' ') + 1)..].Trim() : "");
}
