using IncidentBot.Core.Commands.Handlers;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Service;

namespace IncidentBot.Core.Commands;

/// <summary>Parses a command line or a button press, finds the incident it means and hands it to its handler.</summary>
public sealed class CommandRouter
{
    private readonly Dictionary<string, ICommandHandler> _handlers;
    private readonly IncidentService _incidents;

    public CommandRouter(IEnumerable<ICommandHandler> handlers, IncidentService incidents)
    {
        var list = handlers.ToList();
        var help = new HelpHandler(list.Select(h => h.Spec));
        _handlers = list.Append(help).ToDictionary(h => h.Spec.Name, StringComparer.OrdinalIgnoreCase);
        _incidents = incidents;
        Parser = new CommandParser(_handlers.Values.Select(h => h.Spec));
    }

    public CommandParser Parser { get; }

    public async Task<CommandResult> HandleAsync(CommandContext context, string line, CancellationToken cancellationToken)
    {
        var result = Parser.Parse(line);
        if (result is ParseFailed failed)
        {
            return new CommandResult(Reply.Refused(failed.Message), null);
        }

        // Every problem at once: the line's (a malformed id), the incident's (none meant, or none such) and the arguments'.
        var parsed = (Parsed)result;
        var handler = _handlers[parsed.Spec.Name];
        var problems = new List<string>(parsed.Problems);
        var incidentId = parsed.IncidentId;
        if (parsed.Spec.NeedsIncident && incidentId is null && problems.Count == 0)
        {
            incidentId = context.DefaultIncidentId ?? _incidents.FindByChannel(context.Platform, context.ChannelId)?.Id;
            if (incidentId is null)
            {
                problems.Add($"Which incident? Name it, e.g. `/incident {parsed.Spec.Name} INC-3`, or run the command in the incident's channel.");
            }
        }

        if (incidentId is not null && !_incidents.Exists(incidentId))
        {
            problems.Add($"There is no incident {incidentId}. `/incident list` shows the open ones.");
            incidentId = null;
        }

        var request = new CommandRequest(context, parsed.Spec, incidentId, parsed.Args, parsed.Text);
        var wrongArguments = handler.Problems(request);
        if (problems.Count + wrongArguments.Count > 0)
        {
            // A lone problem with which incident is meant already says what to type; anything else gets the usage too.
            return new CommandResult(
                wrongArguments.Count == 0 && parsed.Problems.Count == 0 ? Reply.Refused(problems[0]) : request.Usage([.. problems, .. wrongArguments]),
                null);
        }

        var reply = await handler.HandleAsync(request, cancellationToken);
        var about = incidentId ?? reply.IncidentId;
        var inRoom = reply.PostedInRoom && about is not null && _incidents.Find(about)?.RoomOn(context.Platform)?.ChannelId == context.ChannelId;
        // The typed outcome stays: an adapter still acts on it (a card loses its buttons) when the words need not be repeated.
        return new CommandResult(inRoom ? reply with { Message = ChatMessage.Plain("") } : reply, about);
    }

    /// <summary>A button press: the command it carries, run under the guard it carries.</summary>
    public Task<CommandResult> PressAsync(CommandContext context, ButtonAction action, CancellationToken cancellationToken) =>
        HandleAsync(context with { DefaultIncidentId = action.IncidentId, Guard = action.Guard }, $"{action.Command}", cancellationToken);
}
