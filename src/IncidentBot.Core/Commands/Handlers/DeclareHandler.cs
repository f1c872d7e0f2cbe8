using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Service;

namespace IncidentBot.Core.Commands.Handlers;

public sealed class DeclareHandler(IncidentService incidents) : ICommandHandler
{
    public CommandSpec Spec { get; } = new(
        "declare", "declare <category> <sev1|sev2|sev3> <title...>", "Open an incident and start its runbook.", NeedsIncident: false);

    public async Task<Reply> HandleAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var categories = string.Join(", ", incidents.Runbooks.Categories);
        if (request.Args.Count < 3)
        {
            return request.Usage($"Declaring needs a category ({categories}), a severity and a title.");
        }

        if (!SeverityText.TryParse(request.Args[1], out var severity))
        {
            return request.Usage($"'{request.Args[1]}' is not a severity: use sev1, sev2 or sev3.");
        }

        if (incidents.Runbooks.ForCategory(request.Args[0]) is null)
        {
            return request.Usage($"Unknown category '{request.Args[0]}': use one of {categories}.");
        }

        var title = string.Join(' ', request.Args.Skip(2));
        var declaredIn = new Room { Platform = request.Context.Platform, ChannelId = request.Context.ChannelId };
        var (incident, outcome) = await incidents.DeclareAsync(request.Actor, request.Args[0], severity, title, declaredIn, request.Context.Origin, cancellationToken);
        return outcome.Succeeded
            ? Reply.Text(outcome.Message) with { IncidentId = incident!.Id, PostedInRoom = true }
            : Reply.Refused(outcome.Message);
    }
}
