using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Scale;

/// <summary>
/// The soak: the real host (Release) with 50 open incidents, each with its own Slack channel (from the stub), and
/// for <c>minutes</c> a steady mix of signed requests from four clients: notes (slash command), status (slash
/// command), a stale Acknowledge press, and chat messages in the incident channels (Events API). Every request must
/// answer 200; at the end the storage file (the bot stopped cleanly) must hold every note and every message sent, per
/// incident; resident memory is sampled every 5 s and the first minute compared with the last.
/// </summary>
public static partial class SoakBench
{
    private const int Incidents = 50;
    private const int Clients = 4;
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(200); // per client: about 20 requests a second in all

    public static async Task<bool> RunAsync(double minutes)
    {
        var dir = Directory.CreateTempSubdirectory("bench-soak").FullName;
        var path = Path.Combine(dir, "incidentbot.db");
        var log = Path.Combine(dir, "bot.log");
        try
        {
            var sent = new ConcurrentDictionary<string, int>(); // incident -> notes and messages answered 200
            var counts = new ConcurrentDictionary<string, int>(); // kind -> requests
            var errors = new ConcurrentQueue<string>();
            var rss = new List<(double At, double Mb)>();
            var duration = TimeSpan.FromMinutes(minutes);
            await using (var host = await HostProcess.StartAsync(path, log))
            {
                await host.WaitReadyAsync(TimeSpan.FromSeconds(120));
                using var slack = new SignedSlack(host.Url, HostProcess.Secret, host.StubUrl + "/response");
                var rooms = await SeedAsync(slack, host);
                Console.WriteLine($"soak: {rooms.Count} open incidents with their channels; running {minutes} min, {Clients} clients, a request every {Pace.TotalMilliseconds} ms each");

                var clock = System.Diagnostics.Stopwatch.StartNew();
                using var stop = new CancellationTokenSource(duration);
                var sampler = Task.Run(async () =>
                {
                    while (!stop.IsCancellationRequested)
                    {
                        lock (rss)
                        {
                            rss.Add((clock.Elapsed.TotalSeconds, host.RssMb()));
                        }

                        try
                        {
                            await Task.Delay(TimeSpan.FromSeconds(5), stop.Token);
                        }
                        catch (OperationCanceledException)
                        {
                        }
                    }
                });
                var clients = Enumerable.Range(0, Clients).Select(c => ClientAsync(slack, rooms, c, sent, counts, errors, stop.Token)).ToList();
                await Task.WhenAll(clients);
                await sampler;
                await Task.Delay(TimeSpan.FromSeconds(5)); // the last messages are recorded from the queue, after their acknowledgement
                lock (rss)
                {
                    rss.Add((clock.Elapsed.TotalSeconds, host.RssMb()));
                }
            }

            // The bot stopped cleanly (SIGTERM): count what it kept.
            var lost = 0;
            var extra = 0;
            using (var bot = BotServices.Store(path))
            {
                var service = bot.Get<IncidentService>();
                foreach (var (incident, expected) in sent)
                {
                    var kept = service.Timeline(incident).Count(e => e.Kind is EntryKind.Note or EntryKind.Message);
                    lost += Math.Max(0, expected - kept);
                    extra += Math.Max(0, kept - expected);
                }
            }

            var logged = File.ReadLines(log).Where(l => l.Contains("[ERR]", StringComparison.Ordinal) || l.Contains("[FTL]", StringComparison.Ordinal) || l.Contains(" ERR] ", StringComparison.Ordinal) || l.Contains(" FTL] ", StringComparison.Ordinal)).ToList();
            var window = Math.Min(60, duration.TotalSeconds / 3);
            var first = rss.Where(s => s.At <= window).Select(s => s.Mb).DefaultIfEmpty(double.NaN).Average();
            var last = rss.Where(s => s.At >= rss[^1].At - window).Select(s => s.Mb).DefaultIfEmpty(double.NaN).Average();
            var total = counts.Values.Sum();
            var ok = errors.IsEmpty && lost == 0 && extra == 0 && logged.Count == 0;
            Console.WriteLine($"soak: {total} requests in {minutes} min ({string.Join(", ", counts.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}"))}); "
                + $"errors {errors.Count}{(errors.TryPeek(out var e) ? $" (first: {e})" : "")}; notes and messages sent {sent.Values.Sum()}, lost {lost}, unexpected {extra}; "
                + $"error lines in the bot's log {logged.Count}{(logged.Count > 0 ? $" (first: {logged[0]})" : "")}; RSS first {window:F0} s {first:F0} MB, last {window:F0} s {last:F0} MB, peak {rss.Max(s => s.Mb):F0} MB");
            Console.WriteLine(string.Join('\t', "RESULT", "soak", minutes.ToString(CultureInfo.InvariantCulture), total, errors.Count + logged.Count, sent.Values.Sum(), lost + extra,
                first.ToString("F0", CultureInfo.InvariantCulture), last.ToString("F0", CultureInfo.InvariantCulture), rss.Max(s => s.Mb).ToString("F0", CultureInfo.InvariantCulture)));
            return ok;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Declares and acknowledges the incidents through the bot; returns each one's Slack channel (as the stub created it).</summary>
    private static async Task<List<(string Id, string Channel)>> SeedAsync(SignedSlack slack, HostProcess host)
    {
        string[] categories = ["auth-outage", "webhook-failure", "security", "performance"];
        var ids = new List<(int N, string Id)>();
        for (var n = 1; n <= Incidents; n++)
        {
            var declared = await slack.CommandAsync($"declare {categories[n % 4]} sev3 Soak incident {n}");
            var id = IncidentId().Match(declared.Body) is { Success: true } m ? m.Value : throw new InvalidOperationException($"declare {n} answered {declared.Status}: {declared.Body}");
            var ack = await slack.CommandAsync($"ack {id}");
            if (ack.Status != 200)
            {
                throw new InvalidOperationException($"ack {id} answered {ack.Status}: {ack.Body}");
            }

            ids.Add((n, id));
        }

        using var http = new HttpClient();
        for (var attempt = 0; attempt < 300; attempt++)
        {
            var created = JsonSerializer.Deserialize<Dictionary<string, string>>(await http.GetStringAsync(host.StubUrl + "/channels"))!;
            var rooms = ids.Select(i => (i.Id, Channel: created.FirstOrDefault(c => c.Key.EndsWith($"soak-incident-{i.N}", StringComparison.Ordinal)).Value)).ToList();
            if (rooms.All(r => r.Channel is not null))
            {
                return rooms!;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("the bot did not create a channel for every incident");
    }

    private static async Task ClientAsync(
        SignedSlack slack, List<(string Id, string Channel)> rooms, int client, ConcurrentDictionary<string, int> sent,
        ConcurrentDictionary<string, int> counts, ConcurrentQueue<string> errors, CancellationToken stop)
    {
        var random = new Random(client);
        var n = 0;
        while (!stop.IsCancellationRequested)
        {
            var (id, channel) = rooms[random.Next(rooms.Count)];
            var roll = random.Next(100);
            var (kind, recorded) = roll switch
            {
                < 35 => ("note", true),
                < 50 => ("status", false),
                < 65 => ("press", false),
                _ => ("message", true),
            };
            n++;
            try
            {
                var answer = kind switch
                {
                    "note" => await slack.CommandAsync($"note {id} soak client {client} note {n}: checked the error rate"),
                    "status" => await slack.CommandAsync($"status {id}"),
                    "press" => await slack.PressAsync($"{id}|state:Declared|ack {id}", "Acknowledge", channel),
                    _ => await slack.MessageAsync(channel, $"client {client} message {n}: rolling back the session-token change"),
                };
                counts.AddOrUpdate(kind, 1, (_, c) => c + 1);
                if (answer.Status != 200 || answer.Body.Contains("Working on it", StringComparison.Ordinal) || answer.Body.Contains("Already received", StringComparison.Ordinal))
                {
                    errors.Enqueue($"{kind} {id}: {answer.Status} {answer.Body[..Math.Min(160, answer.Body.Length)]}");
                }
                else if (recorded)
                {
                    sent.AddOrUpdate(id, 1, (_, c) => c + 1);
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                errors.Enqueue($"{kind} {id}: {e.GetType().Name}: {e.Message}");
            }

            try
            {
                await Task.Delay(Pace, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [GeneratedRegex(@"INC-\d+")]
    private static partial Regex IncidentId();
}
