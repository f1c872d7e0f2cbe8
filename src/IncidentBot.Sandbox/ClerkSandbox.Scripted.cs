using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace IncidentBot.Sandbox;

/// <summary>
/// What the Clerk tests script by hand (the old test emulator's surface, so switching them over is mechanical):
/// exact users, one-off failures and hangs on matching requests, per-path latency, and overrides of the app's and the
/// status page's answers.
/// </summary>
public sealed partial class ClerkSandbox
{
    private readonly List<ScriptedFault> _scripted = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _callsByPath = new();
    private int _inFlight;
    private int _hung;

    /// <summary>Overrides the app's health status (null: the sandbox's own behaviour).</summary>
    public int? HealthStatus { get; set; }

    /// <summary>Overrides every hook's answer (null: verify the signature and switch the app).</summary>
    public int? HookStatus { get; set; }

    /// <summary>Replaces the status page's summary.json; <see cref="StatusRss"/> serves /status/feed.rss.</summary>
    public string? StatusJson { get; set; }

    /// <summary>Answers summary.json with this status and no page (e.g. 404: a reader falls back to the RSS feed, or knows nothing).</summary>
    public int? StatusJsonFails { get; set; }

    public string? StatusRss { get; set; }

    /// <summary>
    /// How long the answer to the nth request (1-based) to a path takes, on top of any drill slowness; waited with
    /// <see cref="Wait"/>, so a test on a fake clock moves the clock by exactly that much while the request is answered.
    /// </summary>
    public Func<string, int, TimeSpan>? Latency { get; set; }

    /// <summary>Every webhook dashboard sign-in link POST /webhooks/svix_url handed out.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> DashboardLinks { get; } = new();

    /// <summary>Requests being answered right now, and those deliberately held without an answer (timeouts).</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    public int Hung => Volatile.Read(ref _hung);

    public int Count(string method, string pathPattern) =>
        Requests.Count(r => r.Method == method && Regex.IsMatch(r.Path, pathPattern));

    /// <summary>Adds a user with exactly these emails (the primary by index) and <paramref name="sessions"/> active sessions.</summary>
    /// <param name="createdAt">Unix milliseconds; by default one millisecond after the user added before (users may share one, as in Clerk).</param>
    public SandboxUser AddUser(string id, string[] emails, int primary = 0, int sessions = 0, bool banned = false, bool locked = false, long? createdAt = null)
    {
        lock (_gate)
        {
            var created = createdAt ?? Options.Epoch.ToUnixTimeMilliseconds() + _users.Count;
            var list = emails.Select((e, i) => new SandboxEmail($"idn_{id[5..]}_{i}", e)).ToList();
            var user = new SandboxUser
            {
                Id = id,
                FirstName = "Test",
                LastName = id,
                Emails = list,
                PrimaryEmailId = list.Count == 0 ? "" : list[primary].Id,
                Banned = banned,
                Locked = locked,
                CreatedAt = created,
                UpdatedAt = created,
            };
            _users[id] = user;
            for (var i = 0; i < sessions; i++)
            {
                var session = new SandboxSession { Id = $"sess_{id[5..]}_{i}", UserId = id, ClientId = $"client_{id[5..]}", CreatedAt = created + i, LastActiveAt = created + i, UpdatedAt = created + i };
                _sessions[session.Id] = session;
            }

            App.Deliver(user);
            return user;
        }
    }

    public void RemoveUser(string id)
    {
        lock (_gate)
        {
            _users.Remove(id);
        }
    }

    /// <summary>Answers <paramref name="times"/> matching Backend API requests with an error, or holds them unanswered (timeouts).</summary>
    public void Fail(string method, string pathPattern, int status, string code, int times = int.MaxValue, int? retryAfter = null, bool hang = false)
    {
        lock (_gate)
        {
            _scripted.Add(new ScriptedFault(method, new Regex(pathPattern), status, code, retryAfter, hang) { Left = times });
        }
    }

    public void ClearFailures()
    {
        lock (_gate)
        {
            _scripted.Clear();
        }
    }

    private async Task DelayAsync(string path, CancellationToken cancellationToken)
    {
        if (Latency is not { } latency)
        {
            return;
        }

        var nth = _callsByPath.AddOrUpdate(path, 1, (_, n) => n + 1);
        if (latency(path, nth) is { } delay && delay > TimeSpan.Zero)
        {
            await Wait(delay, cancellationToken);
        }
    }

    /// <summary>True when a scripted failure answered (or hung) the request.</summary>
    private async Task<bool> ScriptedAsync(HttpContext context, string path)
    {
        ScriptedFault? fault;
        lock (_gate)
        {
            fault = _scripted.FirstOrDefault(f => f.Left > 0 && f.Method == context.Request.Method && f.Path.IsMatch(path));
            if (fault is not null)
            {
                fault.Left--;
            }
        }

        if (fault is null)
        {
            return false;
        }

        if (fault.Hang)
        {
            Interlocked.Increment(ref _hung);
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                Interlocked.Decrement(ref _hung);
            }

            return true;
        }

        if (fault.RetryAfter is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await ErrorAsync(context, fault.Status, fault.Code, fault.Code.Replace('_', ' '), $"Injected {fault.Status} {fault.Code}.");
        return true;
    }

    private sealed record ScriptedFault(string Method, Regex Path, int Status, string Code, int? RetryAfter, bool Hang)
    {
        public int Left { get; set; }
    }
}
