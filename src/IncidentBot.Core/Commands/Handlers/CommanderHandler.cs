using System.Text.RegularExpressions;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.People;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;
using Microsoft.Extensions.Options;

namespace IncidentBot.Core.Commands.Handlers;

public sealed partial class CommanderHandler(IncidentService incidents, IOptions<RosterOptions> roster) : ICommandHandler
{
    public CommandSpec Spec { get; } = new("commander", "commander [INC-n] @who", "Name the incident commander.");

    public IReadOnlyList<string> Problems(CommandRequest request)
    {
        if (request.Args.Count != 1)
        {
            return ["Name one person from the roster."];
        }

        var known = string.Join(", ", roster.Value.People.Select(p => p.Name));
        return Named(request) is null ? [$"Nobody called '{request.Args[0]}' is in the roster (known: {known})."] : [];
    }

    public Task<Reply> HandleAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        if (Problems(request) is { Count: > 0 } problems)
        {
            return Task.FromResult(request.Usage(problems));
        }

        var person = Named(request)!;

        return Changes.ApplyAsync(incidents, request, EntryKind.Change, change =>
        {
            var incident = change.Incident;
            if (incident.RefuseIfFinished("commander") is { } refused)
            {
                return refused;
            }

            if (incident.Commander == person.Name)
            {
                return Outcome.Refused($"{person.Name} is already the commander of {incident.Id}.");
            }

            incident.Commander = person.Name;
            return Outcome.Done($"{Mention.Of(person.Name)} is now the commander of {incident.Id} (named by {change.Actor.Name}).");
        }, cancellationToken);
    }

    // Slack writes a mention as <@U123|name> or <@U123>; the roster knows people by name, Slack id, Teams id or email.
    private Person? Named(CommandRequest request) =>
        request.Args.Count == 1
            ? roster.Value.Find(SlackMention().Match(request.Args[0]) is { Success: true } m ? m.Groups["id"].Value : request.Args[0])
            : null;

    [GeneratedRegex(@"^<@(?<id>[A-Z0-9]+)(\|[^>]*)?>$")]
    private static partial Regex SlackMention();
}
