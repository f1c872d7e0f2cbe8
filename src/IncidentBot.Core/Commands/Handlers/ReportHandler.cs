using IncidentBot.Core.Messaging;
using IncidentBot.Core.Reports;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;
using Microsoft.Extensions.Options;

namespace IncidentBot.Core.Commands.Handlers;

public sealed class ReportHandler(IncidentService incidents, IOptions<ReportOptions> options) : ICommandHandler
{
    public CommandSpec Spec { get; } = new("report", "report [INC-n]", "Write the post-incident report, save it and post it.");

    public async Task<Reply> HandleAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var path = "";
        var outcome = await incidents.ChangeAsync(request.Incident, request.Actor, request.Context.Origin, change =>
        {
            var incident = change.Incident;
            var markdown = ReportWriter.Write(incident, change.Runbook, incidents.Timeline(incident.Id), incidents.Audit(incident.Id), change.Now);
            Directory.CreateDirectory(options.Value.Path);
            path = Path.Combine(options.Value.Path, $"{incident.Id}.md");
            File.WriteAllText(path, markdown);
            change.Record(EntryKind.Report, $"Report written to {path}");
            change.Post(new ChatMessage
            {
                Kind = MessageKind.Report,
                Header = $"{incident.Id} post-incident report",
                Text = markdown,
                File = new Attachment($"{incident.Id}.md", $"{incident.Id} post-incident report", markdown),
            });
            return Incidents.Outcome.Done($"Report for {incident.Id} written to {path}.");
        }, cancellationToken);

        return outcome.Succeeded ? Reply.Text(outcome.Message) : Reply.Refused(outcome.Message);
    }
}
