using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Service;

namespace IncidentBot.Core.Commands.Handlers;

public sealed class DeclareHandler(IncidentService incidents) : ICommandHandler
{
    public CommandSpec Spec { get; } = new(
        "declare", "declare <category> <sev1|sev2|sev3> <title...>", "Open an incident and start its runbook.", NeedsIncident: false);

    public IReadOnlyList<string> Problems(CommandRequest request)
    {
        var categories = string.Join(", ", incidents.Runbooks.Categories);
        if (request.Args.Count == 0)
        {
            return [$"Declaring needs a category ({categories}), a severity and a title."];
        }

        var problems = new List<string>();
        if (incidents.Runbooks.ForCategory(request.Args[0]) is null)
        {
            problems.Add($"Unknown category '{request.Args[0]}': use one of {categories}.");
        }

        if (request.Args.Count < 2)
        {
            problems.Add("The severity is missing: sev1, sev2 or sev3.");
        }
        else if (!SeverityText.TryParse(request.Args[1], out _))
        {
            problems.Add($"'{request.Args[1]}' is not a severity: use sev1, sev2 or sev3.");
        }

        if (request.Args.Count < 3)
        {
            problems.Add("The title is missing: say in a few words what is wrong.");
        }

        return problems;
    }

    public async Task<Reply> HandleAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        if (Problems(request) is { Count: > 0 } problems)
        {
            return request.Usage(problems);
        }

        SeverityText.TryParse(request.Args[1], out var severity);
        var title = string.Join(' ', request.Args.Skip(2));
        var declaredIn = new Room { Platform = request.Context.Platform, ChannelId = request.Context.ChannelId };
        var (incident, outcome) = await incidents.DeclareAsync(request.Actor, request.Args[0], severity, title, declaredIn, request.Context.Origin, cancellationToken);
        return outcome.Succeeded
            ? Reply.Text(outcome.Message) with { IncidentId = incident!.Id, PostedInRoom = true }
            : Reply.Refused(outcome.Message);
    }
}
