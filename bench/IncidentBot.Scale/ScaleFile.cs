using System.Diagnostics;
using IncidentBot.Core.Commands;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Scale;

/// <summary>
/// A storage file at scale, made with the bot's own code: incidents declared, acknowledged, resolved and closed through
/// the command router on the LiteDB store, then chat messages added through the store's own Commit (one transaction per
/// batch, as the service writes them) until the timeline holds the wanted total. INC-1 stays open with
/// <c>bigIncidentEntries</c> entries (the report's worst case); 50 incidents stay open.
/// </summary>
public static class ScaleFile
{
    public const int OpenIncidents = 50;

    public static string Create(string path, int incidents, int entries, int bigIncidentEntries)
    {
        var clock = Stopwatch.StartNew();
        using (var bot = BotServices.Store(path))
        {
            var router = bot.Get<CommandRouter>();
            var service = bot.Get<IncidentService>();
            var store = bot.Get<IncidentBot.Core.IIncidentStore>();
            string[] categories = ["auth-outage", "webhook-failure", "security", "performance"];
            for (var i = 1; i <= incidents; i++)
            {
                var id = Run(router, $"/incident declare {categories[i % 4]} sev{1 + i % 3} Scale incident {i}: users see errors on sign-in").IncidentId
                    ?? throw new InvalidOperationException($"declare {i} failed");
                if (i > OpenIncidents)
                {
                    Run(router, $"/incident ack {id}");
                    Run(router, $"/incident resolve {id}");
                    Run(router, $"/incident close {id}");
                }
            }

            var existing = service.List(openOnly: false).Sum(i => service.Timeline(i.Id).Count);
            var rest = entries - existing - bigIncidentEntries;
            var at = DateTimeOffset.UtcNow.AddDays(-30);
            var serial = 0L;
            foreach (var incident in service.List(openOnly: false))
            {
                var count = incident.Id == "INC-1" ? bigIncidentEntries : rest / (incidents - 1) + (incident.Number - 1 <= rest % (incidents - 1) && incident.Number > 1 ? 1 : 0);
                foreach (var batch in Enumerable.Range(0, count).Chunk(1000))
                {
                    var list = batch.Select(_ => new TimelineEntry
                    {
                        IncidentId = incident.Id,
                        At = at.AddSeconds(++serial),
                        Actor = serial % 3 == 0 ? "bob" : "alice",
                        Kind = EntryKind.Message,
                        Text = $"Checked the sign-in error rate again ({serial % 97}%), rolling back the session-token change on node {serial % 12}; dashboard link in the thread.",
                        SourceRef = $"slack:C{incident.Number:D6}:{1764000000 + serial}.000100",
                    }).ToList();
                    store.Commit(incident, list);
                }
            }

            var total = service.List(openOnly: false).Sum(i => service.Timeline(i.Id).Count);
            return $"{service.List(openOnly: false).Count} incidents ({service.List(openOnly: true).Count} open), {total} timeline entries, INC-1 {service.Timeline("INC-1").Count}; made in {clock.Elapsed.TotalSeconds:F1} s, {new FileInfo(path).Length / 1024 / 1024} MB";
        }
    }

    private static CommandResult Run(CommandRouter router, string line)
    {
        var result = router.HandleAsync(new CommandContext(new IncidentBot.Core.People.Actor("alice"), "bench", "CBENCH"), line, CancellationToken.None).GetAwaiter().GetResult();
        return result;
    }
}
