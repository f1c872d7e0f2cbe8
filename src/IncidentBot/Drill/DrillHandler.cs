using IncidentBot.Core.Commands;
using IncidentBot.Core.Escalation;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.People;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;
using Microsoft.Extensions.Options;

namespace IncidentBot.Drill;

/// <summary>
/// <c>/incident drill &lt;category&gt; [sev]</c>: injects the category's fault into the sandbox and declares a drill
/// incident (marked DRILL, paging only its own people). Without --drill it explains how to start one.
/// </summary>
public sealed class DrillHandler(
    IncidentService incidents, IOptions<RosterOptions> roster, IOptions<DrillOptions> options, DrillInjector? injector = null) : ICommandHandler
{
    public CommandSpec Spec { get; } = new(
        "drill", "drill <auth-outage|performance|webhook-failure|security> [sev1|sev2|sev3]",
        "Practise: declare a DRILL incident and inject its fault into the embedded sandbox (start the bot with --drill).", NeedsIncident: false);

    /// <summary>Every mistake at once; none while drill mode is off (the answer then says how to turn it on).</summary>
    public IReadOnlyList<string> Problems(CommandRequest request)
    {
        var categories = string.Join(", ", DrillInjector.Categories);
        var problems = new List<string>();
        if (injector is null)
        {
            return problems;
        }

        if (request.Args.Count == 0)
        {
            problems.Add($"Which drill? One of {categories}.");
        }
        else if (!DrillInjector.Categories.Contains(request.Args[0].ToLowerInvariant()))
        {
            problems.Add($"'{request.Args[0]}' is not a drill: use one of {categories}.");
        }

        if (request.Args.Count >= 2 && !SeverityText.TryParse(request.Args[1], out _))
        {
            problems.Add($"'{request.Args[1]}' is not a severity: use sev1, sev2 or sev3.");
        }

        if (request.Args.Count > 2)
        {
            problems.Add($"A drill takes a category and a severity, nothing more (not '{string.Join(' ', request.Args.Skip(2))}').");
        }

        return problems;
    }

    public async Task<Reply> HandleAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        if (injector is null)
        {
            return Reply.Refused("Drill mode is off, so no drill can run against the real Clerk. Start the bot with --drill: `dotnet run --project src/IncidentBot -- shell --drill`.");
        }

        if (Problems(request) is { Count: > 0 } problems)
        {
            return request.Usage(problems);
        }

        var severity = Severity.Sev2;
        if (request.Args.Count == 2)
        {
            SeverityText.TryParse(request.Args[1], out severity);
        }

        var category = request.Args[0].ToLowerInvariant();
        var injected = await injector.InjectAsync(category, cancellationToken);
        var pages = EscalationPolicies.Resolve(roster.Value, options.Value.Page);
        var room = new Room { Platform = request.Context.Platform, ChannelId = request.Context.ChannelId };
        var (incident, outcome) = await incidents.DeclareAsync(request.Actor, category, severity, $"{category} drill started by {request.Actor.Name}", room, request.Context.Origin, pages, cancellationToken);
        if (!outcome.Succeeded)
        {
            return Reply.Refused(outcome.Message);
        }

        await incidents.ChangeAsync(incident!.Id, request.Actor, change =>
        {
            change.Record(EntryKind.Note, injected);
            change.Post(ChatMessage.Plain(injected));
            return Outcome.Done(injected);
        }, cancellationToken);
        return Reply.Text(outcome.Message) with { IncidentId = incident.Id, PostedInRoom = true };
    }
}
