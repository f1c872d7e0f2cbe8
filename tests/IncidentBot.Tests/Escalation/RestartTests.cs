using IncidentBot.Tests.Support;
using IncidentBot.Core.Commands;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.People;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;
using IncidentBot.Tests.Escalation.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace IncidentBot.Tests.Escalation;

public sealed class RestartTests : IDisposable
{
    private readonly string _data = EscalationBotHost.TempDir();

    [Fact]
    public async Task AfterDowntimeLevelsTwoAndThreeAreSentOnceEachInOrderMarkedLateAndNothingElse()
    {
        var time = EscalationBotHost.Clock();
        var before = new RecordingChat("recorder");
        string id;
        using (var host = EscalationBotHost.Build(_data, time, EscalationBotHost.NoReminders(), surface: before))
        {
            await host.StartAsync();
            var router = host.Services.GetRequiredService<CommandRouter>();
            var declared = await router.HandleAsync(
                new CommandContext(new Actor("dave"), "recorder", "room"), "/incident declare auth-outage sev2 Users cannot sign in", CancellationToken.None);
            id = declared.IncidentId!;
            await before.WaitForAsync(p => p.Any(x => x.Directs.Count > 0));
            // Let step 1's status check post its result first: a check cut off by the stop is rightly run again at the restart.
            await before.WaitForAsync(p => p.Any(x => x.Posts.Any(m => m.Header?.Contains("Check clerk.status", StringComparison.Ordinal) == true)));
            await host.StopAsync();
        }

        time.Advance(TimeSpan.FromMinutes(40));

        var after = new RecordingChat("recorder");
        using (var host = EscalationBotHost.Build(_data, time, EscalationBotHost.NoReminders(), surface: after))
        {
            await host.StartAsync();
            await after.WaitForAsync(p => p.SelectMany(x => x.Directs).Count() >= 2);
            var scheduler = host.Services.GetRequiredService<DeadlineScheduler>();
            var incidents = host.Services.GetRequiredService<IncidentService>();
            await host.StopAsync();

            Assert.Equal(["alice"], before.Publications.SelectMany(p => p.Directs).Select(d => d.PersonName));
            Assert.Equal(["bob", "carol"], after.Publications.SelectMany(p => p.Directs).Select(d => d.PersonName));
            var posts = after.Publications.SelectMany(p => p.Posts).ToList();
            Assert.Equal(2, posts.Count);
            Assert.All(posts, p => Assert.Equal(MessageKind.Ping, p.Kind));
            Assert.Equal([$"{id} · Paging level 2 of 3", $"{id} · Paging level 3 of 3"], posts.Select(p => p.Header));

            var pages = incidents.Timeline(id).Where(e => e.Kind == EntryKind.Escalation).ToList();
            Assert.Equal(3, pages.Count);
            Assert.DoesNotContain("Late", pages[0].Text);
            Assert.Contains("Late: this page was due at 2026-11-28 02:15:00 UTC", pages[1].Text);
            Assert.Contains("Late: this page was due at 2026-11-28 02:30:00 UTC", pages[2].Text);
            Assert.All(pages.Skip(1), e => Assert.Equal(EscalationBotHost.Start + TimeSpan.FromMinutes(40), e.At));

            var state = incidents.Find(id)!.Escalation!;
            Assert.Equal([false, true, true], state.Pings.Select(p => p.Late));
            Assert.Equal(TimeSpan.FromMinutes(15), state.Policy.Levels[0].EscalateAfter);
            Assert.Null(state.NextPingAt);
            Assert.Null(scheduler.NextDue());
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // The log file may still be held for a moment; the temp folder is cleaned up by the system.
        }
    }
}
