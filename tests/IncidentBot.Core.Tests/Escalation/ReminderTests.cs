using IncidentBot.Core.Tests.Escalation.Support;

namespace IncidentBot.Core.Tests.Escalation;

public sealed class ReminderTests
{
    [Fact]
    public async Task AnOpenSev1IsRemindedToPostAStatusUpdateEveryFifteenMinutes()
    {
        var bot = new EscalationHarness();
        var id = await bot.DeclareAsync("sev1");
        await bot.RunAsync($"/incident ack {id}");

        await bot.AdvanceAsync(TimeSpan.FromMinutes(50));

        var reminders = bot.Entries(id, "Reminded the room to post a status update");
        Assert.Equal([15, 30, 45], reminders.Select(e => (int)(e.At - EscalationHarness.Start).TotalMinutes));
        Assert.All(reminders, r => Assert.Equal("IncidentBot", r.Actor));
    }

    [Fact]
    public async Task ANoteCountsAsAStatusUpdateAndPushesTheNextReminderBack()
    {
        var bot = new EscalationHarness();
        var id = await bot.DeclareAsync("sev1");
        await bot.RunAsync($"/incident ack {id}");

        await bot.AdvanceAsync(TimeSpan.FromMinutes(10));
        await bot.RunAsync($"/incident note {id} Clerk status page shows an outage");
        await bot.AdvanceAsync(TimeSpan.FromMinutes(20));

        Assert.Equal([25], bot.Entries(id, "Reminded the room to post a status update").Select(e => (int)(e.At - EscalationHarness.Start).TotalMinutes));
    }

    [Fact]
    public async Task TheRoomIsRemindedToNameACommanderUntilOneIsNamed()
    {
        var bot = new EscalationHarness();
        var id = await bot.DeclareAsync("sev2");
        await bot.RunAsync($"/incident ack {id}", by: "alice");

        await bot.AdvanceAsync(TimeSpan.FromMinutes(25));
        await bot.RunAsync($"/incident commander {id} alice");
        await bot.AdvanceAsync(TimeSpan.FromHours(1));

        var reminders = bot.Entries(id, $"Reminded the room that {id} has no commander");
        Assert.Equal([10, 20], reminders.Select(e => (int)(e.At - EscalationHarness.Start).TotalMinutes));
        Assert.Contains(bot.Surface.Publications.SelectMany(p => p.Posts), p => p.Text.StartsWith($"{id} has no commander yet. @[alice]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AfterDowntimeEachReminderIsSentOnceMarkedLate()
    {
        var bot = new EscalationHarness();
        var id = await bot.DeclareAsync("sev1");
        await bot.RunAsync($"/incident ack {id}");

        bot.Time.Advance(TimeSpan.FromHours(2));
        var restarted = bot.Restart();
        await restarted.AdvanceAsync(TimeSpan.Zero);

        var status = Assert.Single(restarted.Entries(id, "Reminded the room to post a status update"));
        Assert.Contains("Late: due at 2026-11-28 02:15:00 UTC", status.Text);
        Assert.Single(restarted.Entries(id, $"Reminded the room that {id} has no commander"));
    }
}
