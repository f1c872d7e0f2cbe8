using IncidentBot.Core.Messaging;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Core.Commands.Handlers;

public sealed class CancelHandler(IncidentService incidents) : ICommandHandler
{
    public CommandSpec Spec { get; } = new("cancel", "cancel [INC-n] <reason>", "Cancel a false alarm, saying why.");

    public IReadOnlyList<string> Problems(CommandRequest request) => request.Text.Length == 0 ? ["Cancelling needs a reason."] : [];

    public Task<Reply> HandleAsync(CommandRequest request, CancellationToken cancellationToken) =>
        Problems(request) is { Count: > 0 } problems
            ? Task.FromResult(request.Usage(problems))
            : Changes.ApplyAsync(incidents, request, EntryKind.Transition, c => c.Incident.Cancel(request.Text, c.Actor.Name, c.Now), cancellationToken);
}
