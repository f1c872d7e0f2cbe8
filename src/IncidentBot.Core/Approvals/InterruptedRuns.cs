using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.People;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Core.Approvals;

/// <summary>
/// At start-up, every action that was still running when the bot stopped: one whose runner keeps a checkpoint
/// (<see cref="ApprovalService.ResumableParameter"/>, a resync) is run again as the same request, in the background,
/// and the timeline says it resumed; any other is marked interrupted, and its incident's room told so.
/// </summary>
public sealed class InterruptedRuns(IncidentService incidents, ApprovalLedger ledger, ApprovalService approvals, BackgroundWork work, ILogger<InterruptedRuns> log) : IHostedService
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _resumed = [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var resume = new List<(string Incident, string Approval)>();
        foreach (var incident in incidents.List(openOnly: false).Where(i => i.Approvals.Any(a => a.State == ApprovalState.Running)))
        {
            var audit = incidents.Audit(incident.Id);
            await incidents.ChangeAsync(incident.Id, Actor.Bot, change =>
            {
                var running = change.Incident.Approvals.Where(a => a.State == ApprovalState.Running).ToList();
                foreach (var request in running)
                {
                    if (ApprovalService.IsResumable(request))
                    {
                        var text = $"{request.Id} ({request.Title}) was running when the bot stopped: resuming the same request from its checkpoint.";
                        change.Record(EntryKind.Action, text, Actor.Bot.Name);
                        change.Post(ChatMessage.Plain(text));
                        resume.Add((change.Incident.Id, request.Id));
                    }
                    else
                    {
                        ledger.Interrupt(change, request, audit);
                    }
                }

                return running.Count > 0 ? Incidents.Outcome.Done("interrupted") : Incidents.Outcome.Refused("nothing was running");
            }, cancellationToken);
        }

        foreach (var (incident, approval) in resume)
        {
            var run = Task.Run(() => ResumeAsync(incident, approval), CancellationToken.None);
            _resumed.Add(run);
            work.Track(run);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(_resumed);
    }

    private async Task ResumeAsync(string incidentId, string approvalId)
    {
        try
        {
            await approvals.ResumeAsync(incidentId, approvalId, _stopping.Token);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            log.LogInformation("{Approval} on {Incident} stopped by shutdown again; it resumes at the next start", approvalId, incidentId);
        }
        catch (Exception e)
        {
            log.LogError(e, "Resuming {Approval} on {Incident} failed", approvalId, incidentId);
        }
    }
}
