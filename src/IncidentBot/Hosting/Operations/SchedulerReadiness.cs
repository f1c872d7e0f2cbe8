using IncidentBot.Core.Health;
using IncidentBot.Core.Service;

namespace IncidentBot.Hosting.Operations;

/// <summary>Ready while the deadline scheduler (pages, reminders, expiries) is running.</summary>
public sealed class SchedulerReadiness(DeadlineScheduler scheduler) : IReadinessCheck
{
    public string Name => "scheduler";

    public Task<Readiness> CheckAsync(CancellationToken cancellationToken) => Task.FromResult(scheduler.ExecuteTask switch
    {
        null => Readiness.NotReady("not started yet"),
        { IsCompleted: false } => Readiness.Ok("running"),
        { IsFaulted: true } task => Readiness.NotReady($"stopped: {task.Exception?.InnerException?.Message}"),
        _ => Readiness.NotReady("stopped"),
    });
}
