using System.Diagnostics;
using System.Globalization;
using IncidentBot.Core.Reports;
using IncidentBot.Core.Service;

namespace IncidentBot.Scale;

/// <summary>
/// Start-up at scale: a storage file with 1,000 incidents and 100,000 timeline entries (INC-1: 10,000 of them), the
/// real host started on it (Release build) until /readyz answers 200, its resident memory then and after use, and
/// the acknowledgement latency of signed <c>list</c>, <c>status</c> and <c>report</c> slash commands at that size.
/// Afterwards the report's parts are timed in-process on the same file (loading the timeline, writing the Markdown).
/// </summary>
public static class StartupBench
{
    public static async Task<bool> RunAsync(bool quick)
    {
        var dir = Directory.CreateTempSubdirectory("bench-startup").FullName;
        try
        {
            var path = Path.Combine(dir, "incidentbot.db");
            Console.WriteLine($"startup: storage file: {ScaleFile.Create(path, 1000, 100_000, 10_000)}");
            var ok = true;
            var runs = quick ? 2 : 3;
            var samples = quick ? 10 : 20;
            var empty = Path.Combine(dir, "empty", "incidentbot.db");
            Directory.CreateDirectory(Path.GetDirectoryName(empty)!);
            for (var run = 1; run <= runs; run++)
            {
                // The same host on an empty storage file, just before: what start-up costs without the data, under the same load.
                await using (var bare = await HostProcess.StartAsync(empty, Path.Combine(dir, "bare.log")))
                {
                    var bareReady = await bare.WaitReadyAsync(TimeSpan.FromSeconds(60));
                    Console.WriteLine($"startup run {run}, empty storage file: ready in {bareReady.TotalSeconds:F2} s, RSS {bare.RssMb():F0} MB");
                    Console.WriteLine(string.Join('\t', "RESULT", "startup-empty", run, F(bareReady.TotalMilliseconds), F(bare.RssMb())));
                }

                await using var host = await HostProcess.StartAsync(path, Path.Combine(dir, "bot.log"));
                var ready = await host.WaitReadyAsync(TimeSpan.FromSeconds(60));
                var rssReady = host.RssMb();
                using var slack = new SignedSlack(host.Url, HostProcess.Secret, host.StubUrl + "/response");
                var list = await TimeAsync(slack, "list", samples);
                var status = await TimeAsync(slack, "status INC-1000", samples);
                var report = await TimeAsync(slack, "report INC-1", quick ? 3 : 5);
                var rssAfter = host.RssMb();

                // The same again once the host has served a while: the first requests after a start run code the JIT has
                // only just compiled (tier 0); these are the latencies of a bot that has been up for a minute.
                for (var i = 0; i < 60; i++)
                {
                    await slack.CommandAsync(i % 2 == 0 ? "list" : "status INC-1000");
                }

                await Task.Delay(TimeSpan.FromSeconds(2)); // the JIT's background tier-1 compilations
                var warmList = await TimeAsync(slack, "list", samples);
                var warmStatus = await TimeAsync(slack, "status INC-1000", samples);
                var warmReport = await TimeAsync(slack, "report INC-1", quick ? 5 : 9);
                Console.WriteLine($"startup run {run}, after 60 more requests: list {warmList.Median:F1} ms, status {warmStatus.Median:F1} ms, report of 10,000 entries {warmReport.Median:F1} ms (ack round trips, medians)");
                Console.WriteLine(string.Join('\t', "RESULT", "startup-warm", run, F(warmList.Median), F(warmStatus.Median), F(warmReport.Median)));
                ok &= list.Ok && status.Ok && report.Ok;
                Console.WriteLine($"startup run {run}: ready in {ready.TotalSeconds:F2} s, RSS {rssReady:F0} MB at ready, {rssAfter:F0} MB after the commands; "
                    + $"list {list.Median:F1} ms, status {status.Median:F1} ms, report of 10,000 entries {report.Median:F1} ms (ack round trips, medians)"
                    + (list.Ok && status.Ok && report.Ok ? "" : $"; PROBLEM: {list.Problem}{status.Problem}{report.Problem}"));
                Console.WriteLine(string.Join('\t', "RESULT", "startup", run, F(ready.TotalMilliseconds), F(rssReady), F(rssAfter), F(list.Median), F(status.Median), F(report.Median)));
            }

            InProcess(path);
            return ok;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The report's and the list's parts, in-process on the same file, warmed up first (medians of 15 after 5).</summary>
    public static void InProcess(string path)
    {
        using var bot = BotServices.Store(path);
        var service = bot.Get<IncidentService>();
        var incident = service.Find("INC-1")!;
        var timeline = service.Timeline("INC-1");
        var audit = service.Audit("INC-1");
        var load = Median(() => service.Timeline("INC-1"));
        var write = Median(() => ReportWriter.Write(incident, service.RunbookOf(incident), timeline, audit, DateTimeOffset.UtcNow));
        var listAll = Median(() => service.List(openOnly: false));
        var listOpen = Median(() => service.List(openOnly: true));
        var find = Median(() => service.Find("INC-1000")!);
        var router = bot.Get<IncidentBot.Core.Commands.CommandRouter>();
        var alice = new IncidentBot.Core.Commands.CommandContext(new IncidentBot.Core.People.Actor("alice"), "bench", "CBENCH");
        var routed = Median(() => router.HandleAsync(alice, "/incident report INC-1", CancellationToken.None).GetAwaiter().GetResult(), 8);
        var routedList = Median(() => router.HandleAsync(alice, "/incident list", CancellationToken.None).GetAwaiter().GetResult());
        Console.WriteLine($"startup in-process (medians of 15, warmed): INC-1's {timeline.Count} entries loaded in {load:F1} ms, its report written in {write:F1} ms; "
            + $"List(all {service.List(openOnly: false).Count}) {listAll:F1} ms, List(open) {listOpen:F1} ms, Find {find:F2} ms; "
            + $"through the router (no chat): `report INC-1` {routed:F1} ms, `list` {routedList:F1} ms");
        Console.WriteLine(string.Join('\t', "RESULT", "report-parts", F(load), F(write), F(listAll), F(listOpen), F(find), F(routed), F(routedList)));
    }

    private static double Median(Func<object> work, int count = 20)
    {
        var times = new List<double>();
        for (var i = 0; i < count; i++)
        {
            var clock = Stopwatch.StartNew();
            GC.KeepAlive(work());
            if (i >= count / 4)
            {
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        times.Sort();
        return times[times.Count / 2];
    }

    private sealed record Timing(double Median, bool Ok, string Problem);

    private static async Task<Timing> TimeAsync(SignedSlack slack, string text, int samples)
    {
        var took = new List<double>();
        var problem = "";
        for (var i = 0; i < samples; i++)
        {
            var answer = await slack.CommandAsync(text);
            took.Add(answer.Took.TotalMilliseconds);
            if (answer.Status != 200 || answer.Body.Contains("Working on it", StringComparison.Ordinal) || answer.Body.Contains("Already received", StringComparison.Ordinal))
            {
                problem = $"`{text}` answered {answer.Status}: {answer.Body[..Math.Min(200, answer.Body.Length)]}. ";
            }
        }

        took.Sort();
        return new Timing(took[took.Count / 2], problem.Length == 0, problem);
    }

    private static string F(double value) => value.ToString("F1", CultureInfo.InvariantCulture);
}
