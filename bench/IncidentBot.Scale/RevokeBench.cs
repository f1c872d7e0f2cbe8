using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IncidentBot.Clerk.Actions;
using IncidentBot.Core.Approvals;
using IncidentBot.Sandbox;

namespace IncidentBot.Scale;

/// <summary>
/// Mass revocation: the bot's real clerk.revoke-sessions (ClerkActions, its rate limiter and retry handler, planned
/// then run) against the embedded Clerk sandbox limited to 100 and to 1,000 requests per 10 s; beside the seed's
/// script (list a user's active sessions, revoke them one by one, no limiter, no retry) on a fresh sandbox with the
/// same population and targets. Checked against the sandbox afterwards: every targeted session revoked exactly once,
/// nothing else touched, no target left with an active session.
/// </summary>
public static partial class RevokeBench
{
    public static async Task<bool> RunAsync(bool quick)
    {
        var ok = true;
        foreach (var limit in new[] { 100, 1000 })
        {
            // Enough work to run a minute (half a minute quick) at 90% of the limit: about four requests a user.
            var seconds = quick ? 30 : 60;
            var users = (int)(limit / 10.0 * 0.9 * seconds / 4.2);
            ok &= await BotAsync(limit, users);
            ok &= await SeedLoopAsync(limit, users);
        }

        return ok;
    }

    private static SandboxOptions Options(int limit, int users) => new() { Users = Math.Max(250, users * 3 / 2), RateLimit = limit, Seed = 20261202 };

    private static List<SandboxUser> Targets(ClerkSandbox sandbox, int count) =>
        sandbox.Users.Where(u => !u.Banned && sandbox.SessionsOf(u.Id).Count > 0).Take(count).ToList();

    private static async Task<bool> BotAsync(int limit, int count)
    {
        await using var sandbox = await ClerkSandbox.StartAsync(Options(limit, count));
        var targets = Targets(sandbox, count);
        var before = targets.SelectMany(u => sandbox.SessionsOf(u.Id)).Select(s => s.Id).ToHashSet();
        using var bot = BotServices.Clerk(sandbox.ApiUrl, sandbox.Options.SecretKey, limit);
        var runner = bot.Runner<ClerkActions>();

        var clock = Stopwatch.StartNew();
        var plan = await runner.PlanAsync(new ActionAsk("INC-1", "clerk.revoke-sessions", targets.Select(u => u.Id).ToList(), new Dictionary<string, string>()), CancellationToken.None);
        var planned = clock.Elapsed;
        if (plan.Refusal is not null)
        {
            Console.WriteLine($"revoke limit={limit}: the plan was refused: {plan.Refusal}");
            return false;
        }

        var requestsBeforeRun = sandbox.Requests.Count;
        clock.Restart();
        var results = await runner.RunAsync(new ActionRun("INC-1", "A1", "clerk.revoke-sessions", plan.Targets, new Dictionary<string, string>(), "bob"), CancellationToken.None);
        var ran = clock.Elapsed;

        var runRequests = sandbox.Requests.Skip(requestsBeforeRun).ToList();
        var check = Check(sandbox, targets, before, sandbox.Requests.ToList());
        var failed = results.Count(r => !r.Succeeded);
        var achieved = runRequests.Count / ran.TotalSeconds / (limit / 10.0);
        Console.WriteLine($"revoke bot limit={limit}/10s: {targets.Count} users, {before.Count} sessions; plan {planned.TotalSeconds:F1} s; run {runRequests.Count} requests in {ran.TotalSeconds:F1} s "
            + $"= {achieved:P0} of the limit; 429s {sandbox.RateLimited}; failed targets {failed}; {check.Summary}");
        Console.WriteLine(string.Join('\t', "RESULT", "revoke", $"bot limit {limit}/10s", targets.Count, before.Count, runRequests.Count, ran.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture),
            achieved.ToString("F3", CultureInfo.InvariantCulture), sandbox.RateLimited, check.Lost + failed, check.Twice));
        return check.Lost == 0 && check.Twice == 0 && check.Untargeted == 0 && check.StillActive == 0 && failed == 0;
    }

    /// <summary>The seed's emergency-session-revoke.ts for each user: getSessionList({userId, status: 'active'}) (Clerk's default page of 10), then revokeSession per session; an error is logged and the loop goes on.</summary>
    private static async Task<bool> SeedLoopAsync(int limit, int count)
    {
        await using var sandbox = await ClerkSandbox.StartAsync(Options(limit, count));
        var targets = Targets(sandbox, count);
        var before = targets.SelectMany(u => sandbox.SessionsOf(u.Id)).Select(s => s.Id).ToHashSet();
        using var http = new HttpClient { BaseAddress = new Uri(sandbox.ApiUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", sandbox.Options.SecretKey);
        var errors = 0;
        var clock = Stopwatch.StartNew();
        foreach (var user in targets)
        {
            using var list = await http.GetAsync($"sessions?user_id={user.Id}&status=active");
            if (!list.IsSuccessStatusCode)
            {
                errors++;
                continue;
            }

            foreach (var session in JsonNode.Parse(await list.Content.ReadAsStringAsync())!.AsArray())
            {
                using var revoke = await http.PostAsync($"sessions/{(string)session!["id"]!}/revoke", null);
                errors += revoke.IsSuccessStatusCode ? 0 : 1;
            }
        }

        var ran = clock.Elapsed;
        var requests = sandbox.Requests.Count;
        var check = Check(sandbox, targets, before, sandbox.Requests.ToList());
        var rate = requests / ran.TotalSeconds / (limit / 10.0);
        Console.WriteLine($"revoke seed loop limit={limit}/10s: {requests} requests in {ran.TotalSeconds:F1} s ({rate:P0} of the limit); 429s {sandbox.RateLimited}; errors {errors}; {check.Summary}");
        Console.WriteLine(string.Join('\t', "RESULT", "revoke", $"seed loop limit {limit}/10s", targets.Count, before.Count, requests, ran.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture),
            rate.ToString("F3", CultureInfo.InvariantCulture), sandbox.RateLimited, check.Lost, check.Twice));
        return true; // the seed's losses are the finding, not a failure of the benchmark
    }

    private sealed record Verdict(int Lost, int Twice, int Untargeted, int StillActive, string Summary);

    /// <summary>From the sandbox's own records: which sessions were revoked by a 200 answer, how often, and what is still active.</summary>
    private static Verdict Check(ClerkSandbox sandbox, List<SandboxUser> targets, HashSet<string> before, List<SandboxRequest> requests)
    {
        var revoked = requests.Where(r => r.Method == "POST" && r.Status == 200)
            .Select(r => RevokePath().Match(r.Path)).Where(m => m.Success).GroupBy(m => m.Groups[1].Value).ToDictionary(g => g.Key, g => g.Count());
        var stillActive = targets.Sum(u => sandbox.SessionsOf(u.Id).Count);
        var lost = before.Count(id => !revoked.ContainsKey(id));
        var twice = revoked.Count(kv => kv.Value > 1);
        var untargeted = revoked.Keys.Count(id => !before.Contains(id));
        return new Verdict(lost, twice, untargeted, stillActive,
            $"revoked once {before.Count(id => revoked.GetValueOrDefault(id) == 1)} of {before.Count}, twice {twice}, not targeted {untargeted}, still active {stillActive}, lost {lost}");
    }

    [GeneratedRegex("/sessions/(sess_[^/]+)/revoke$")]
    private static partial Regex RevokePath();
}
