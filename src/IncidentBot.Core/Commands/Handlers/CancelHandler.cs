using IncidentBot.Core.Messaging;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Core.Commands.Handlers;

public sealed class CancelHandler(IncidentService incidents) : ICommandHandler
{
    public CommandSpec Spec { get; } = new("cancel", "cancel [INC-n] <reason>", "Cancel a false alarm, saying why.");

    public Task<Reply> HandleAsync(CommandRequest request, CancellationToken cancellationToken) =>
        request.Text.Length == 0
            ? Task.FromResult(request.Usage("Cancelling needs a reason."))
            : Changes.ApplyAsync(incidents, request, EntryKind.Transition, c => c.Incident.Cancel(request.Text, c.Actor.Name, c.Now), cancellationToken);
}
