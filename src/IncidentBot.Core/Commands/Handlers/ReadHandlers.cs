using IncidentBot.Core.Messaging;
using IncidentBot.Core.Service;

namespace IncidentBot.Core.Commands.Handlers;

public sealed class StatusHandler(IncidentService incidents) : ICommandHandler
{
    public CommandSpec Spec { get; } = new("status", "status [INC-n]", "Show where an incident stands.");

    public Task<Reply> HandleAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var incident = incidents.Find(request.Incident)!;
        return Task.FromResult(new Reply(IncidentViews.Status(incident, incidents.RunbookOf(incident))));
    }
}

public sealed class ListHandler(IncidentService incidents) : ICommandHandler
{
    public CommandSpec Spec { get; } = new("list", "list", "List the open incidents.", NeedsIncident: false);

    public Task<Reply> HandleAsync(CommandRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(new Reply(IncidentViews.List(incidents.List(openOnly: true), incidents.List(openOnly: false))));
}

public sealed class TimelineHandler(IncidentService incidents) : ICommandHandler
{
    public CommandSpec Spec { get; } = new("timeline", "timeline [INC-n]", "Show the incident's timeline.");

    public Task<Reply> HandleAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var incident = incidents.Find(request.Incident)!;
        return Task.FromResult(new Reply(IncidentViews.Timeline(incident, incidents.Timeline(incident.Id))));
    }
}

/// <summary>
/// <c>help</c>: made by the router from every handler's spec (and its own), so it needs no handle on the router. The one
/// help text every platform shows (Slack, Teams and the shell all route <c>help</c> here): the commands a responder
/// types in most incidents first, in the order an incident uses them, then the rest alphabetically.
/// </summary>
public sealed class HelpHandler(IEnumerable<CommandSpec> specs) : ICommandHandler
{
    public static readonly CommandSpec HelpSpec = new("help", "help [command]", "List the commands, or show how to use one.", NeedsIncident: false);

    /// <summary>The most used commands, in the order help lists them; every other command follows, alphabetically.</summary>
    public static readonly IReadOnlyList<string> MostUsed =
        ["declare", "status", "ack", "note", "step", "commander", "escalate", "sev", "mitigate", "monitor", "resolve", "report", "close", "list", "timeline"];

    private readonly CommandParser _parser = new(specs.Append(HelpSpec));

    private Reply? _all;

    public CommandSpec Spec => HelpSpec;

    /// <summary>The most used commands that are registered, in <see cref="MostUsed"/> order; then the rest, by name.</summary>
    public (IReadOnlyList<CommandSpec> Common, IReadOnlyList<CommandSpec> Rarer) InHelpOrder()
    {
        var common = MostUsed.Select(_parser.Find).OfType<CommandSpec>().ToList();
        return (common, _parser.Specs.Except(common).ToList());
    }

    public Task<Reply> HandleAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        if (request.Args.Count > 0)
        {
            var spec = _parser.Find(request.Args[0]);
            return Task.FromResult(spec is null
                ? Reply.Refused($"There is no command '{request.Args[0]}'. `/incident help` lists them all.")
                : Reply.Text(spec.UsageLine));
        }

        // The commands are fixed when the router is made: the whole list is written once, and the same reply (the same
        // message object, which an adapter may keep rendered) is given every time.
        return Task.FromResult(_all ??= AllCommands());
    }

    private Reply AllCommands()
    {
        var (common, rarer) = InHelpOrder();
        return new Reply(new ChatMessage
        {
            Header = "IncidentBot commands",
            Text = "Most used:\n" + string.Join('\n', common.Select(s => s.UsageLine)) + "\n\nThe rest:\n" + string.Join('\n', rarer.Select(s => s.UsageLine)),
            Footer = "Any command takes an incident id right after the subcommand (`/incident ack INC-3`); without it, the incident of the current channel is meant.",
        });
    }
}
