using IncidentBot.Core.Escalation;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Service;
using IncidentBot.Core.Tests.Escalation.Support;

namespace IncidentBot.Core.Tests.Escalation;

public sealed class SchedulerTests
{
    [Fact]
    public async Task TheRunningSchedulerPagesWhenTheFakeClockReachesTheDeadline()
    {
        var bot = new EscalationHarness(OneMinuteLevels());
        await bot.Scheduler.StartAsync(CancellationToken.None);
        try
        {
            var id = await bot.DeclareAsync("sev2");

            bot.Time.Advance(TimeSpan.FromMinutes(1));
            await bot.Surface.WaitForAsync(p => Pinged(p, "bob"));
            bot.Time.Advance(TimeSpan.FromMinutes(1));
            await bot.Surface.WaitForAsync(p => Pinged(p, "carol"));

            Assert.Equal(["+00:00:00 L1 R1 alice", "+00:01:00 L2 R1 bob", "+00:02:00 L3 R1 carol"], bot.PageLog(id));
        }
        finally
        {
            await bot.Scheduler.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task ASchedulerSleepingWithNothingToDoWakesForADeadlineCreatedAfterItFellAsleep()
    {
        var bot = new EscalationHarness(OneMinuteLevels());
        var asleep = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var replanned = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bot.Scheduler.Sleeping += until =>
        {
            if (until is null)
            {
                asleep.TrySetResult();
            }
            else if (until == EscalationHarness.Start + TimeSpan.FromMinutes(1))
            {
                replanned.TrySetResult();
            }
        };
        await bot.Scheduler.StartAsync(CancellationToken.None);
        try
        {
            await asleep.Task.WaitAsync(TimeSpan.FromSeconds(15));

            var id = await bot.DeclareAsync("sev2");
            await replanned.Task.WaitAsync(TimeSpan.FromSeconds(15));
            bot.Time.Advance(TimeSpan.FromMinutes(1));

            await bot.Surface.WaitForAsync(p => Pinged(p, "bob"));
            Assert.Equal(2, bot.PageLog(id).Count);
        }
        finally
        {
            await bot.Scheduler.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task AHandlerThatDoesNotMoveItsDeadlineOnIsRetriedLaterNotInALoop()
    {
        var bot = new EscalationHarness();
        var id = await bot.DeclareAsync("sev2");
        var stubborn = new StubbornDeadline(EscalationHarness.Start + TimeSpan.FromMinutes(1));
        var scheduler = new DeadlineScheduler(
            bot.Incidents, [stubborn], new DeadlineSignal(), new IncidentLocks(), bot.Time, Microsoft.Extensions.Logging.Abstractions.NullLogger<DeadlineScheduler>.Instance);

        bot.Time.Advance(TimeSpan.FromMinutes(1));
        await scheduler.RunDueAsync(CancellationToken.None);
        await scheduler.RunDueAsync(CancellationToken.None);
        Assert.Equal(1, stubborn.Calls);
        Assert.Equal(EscalationHarness.Start + TimeSpan.FromSeconds(90), scheduler.NextDue());

        bot.Time.Advance(TimeSpan.FromSeconds(30));
        await scheduler.RunDueAsync(CancellationToken.None);
        Assert.Equal(2, stubborn.Calls);
        Assert.NotNull(bot.Incidents.Find(id));
    }

    private static bool Pinged(IReadOnlyList<Publication> publications, string person) =>
        publications.Any(p => p.Directs.Any(d => d.PersonName == person));

    private static EscalationOptions OneMinuteLevels()
    {
        var policy = EscalationHarness.DefaultPolicy();
        policy.Severities.Clear();
        policy.Levels.ForEach(l => l.EscalateAfter = TimeSpan.FromMinutes(1));
        policy.StatusUpdateEvery = TimeSpan.Zero;
        policy.CommanderReminderEvery = TimeSpan.Zero;
        return policy;
    }

    private sealed class StubbornDeadline(DateTimeOffset due) : IDeadlineHandler
    {
        public int Calls { get; private set; }

        public DateTimeOffset? NextDue(Incident incident) => due;

        public void OnDue(IncidentChange change) => Calls++;
    }
}
