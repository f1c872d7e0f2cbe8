using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Sandbox;

/// <summary>
/// An embedded Clerk on 127.0.0.1, started inside the process: the Backend API under /v1 (stateful, Clerk's shapes,
/// error bodies and rate limit), Clerk's status page under /status, and the watched app under /app (health, the
/// Svix-verified webhook receiver, the signed hooks). Faults are injected from C# only (<see cref="Faults"/>), never
/// over HTTP. Every request is recorded with its peer address (<see cref="Requests"/>).
/// </summary>
public sealed partial class ClerkSandbox : IAsyncDisposable
{
    private readonly WebApplication _web;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SandboxUser> _users = [];
    private readonly Dictionary<string, SandboxSession> _sessions = [];
    private readonly Queue<DateTimeOffset> _window = new();
    private readonly Random _random;
    private int _traces;

    private ClerkSandbox(WebApplication web, SandboxOptions options)
    {
        _web = web;
        Options = options;
        _random = new Random(options.Seed + 1);
        var (users, sessions) = Population.Seed(options);
        foreach (var user in users)
        {
            _users[user.Id] = user;
        }

        foreach (var session in sessions)
        {
            _sessions[session.Id] = session;
        }

        RateLimit = options.RateLimit;
        RateWindow = options.RateWindow;
        App = new SandboxApp(this);
        Faults = new SandboxFaults(this);
        App.SyncAll(users);
        Wait = (span, ct) => Task.Delay(span, Time, ct);
    }

    /// <summary>Starts Kestrel on 127.0.0.1 with a port the OS picks.</summary>
    public static async Task<ClerkSandbox> StartAsync(SandboxOptions? options = null, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var web = builder.Build();
        var sandbox = new ClerkSandbox(web, options ?? new SandboxOptions());
        if (time is not null)
        {
            sandbox.Time = time;
        }

        web.Run(sandbox.HandleAsync);
        await web.StartAsync(cancellationToken);
        sandbox.BaseUrl = web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return sandbox;
    }

    public SandboxOptions Options { get; }

    /// <summary>Requests per <see cref="RateWindow"/> before a 429 (null: no limit); starts as <see cref="SandboxOptions.RateLimit"/>, may change while running.</summary>
    public int? RateLimit { get; set; }

    public TimeSpan RateWindow { get; set; }

    /// <summary>The clock for outage recovery, signature windows and the rate limit: the host's, once it is built.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>How a slow answer waits (a real delay on <see cref="Time"/>; a test on a fake clock moves the clock instead).</summary>
    public Func<TimeSpan, CancellationToken, Task> Wait { get; set; }

    public string BaseUrl { get; private set; } = "";

    public string ApiUrl => BaseUrl + "/v1/";

    public string StatusUrl => BaseUrl + "/status";

    public string HealthUrl => BaseUrl + "/app/health";

    public string WebhookUrl => BaseUrl + "/app/webhooks/clerk";

    public string HookUrl(string name) => $"{BaseUrl}/app/hooks/{name}";

    /// <summary>The watched app: its user table, bypass switch and webhook processing.</summary>
    public SandboxApp App { get; }

    /// <summary>The fault injection API (auth outage, slow answers, failing webhooks, suspicious sessions).</summary>
    public SandboxFaults Faults { get; }

    /// <summary>Checks each Backend API request (the contract tests plug the spec in); problems land in <see cref="Violations"/>.</summary>
    public Func<SandboxRequest, IEnumerable<string>>? Inspect { get; set; }

    /// <summary>Checks each Backend API answer (the request with its status, and the body sent); problems land in <see cref="Violations"/>.</summary>
    public Func<SandboxRequest, string, IEnumerable<string>>? InspectAnswer { get; set; }

    public ConcurrentQueue<string> Violations { get; } = new();

    public ConcurrentQueue<SandboxRequest> Requests { get; } = new();

    public int RateLimited => Volatile.Read(ref _rateLimited);

    private int _rateLimited;

    // ---- the population, for drills and tests ----

    public IReadOnlyList<SandboxUser> Users
    {
        get
        {
            lock (_gate)
            {
                return _users.Values.OrderByDescending(u => u.CreatedAt).ToList();
            }
        }
    }

    public SandboxUser? User(string id)
    {
        lock (_gate)
        {
            return _users.GetValueOrDefault(id);
        }
    }

    public IReadOnlyList<SandboxSession> SessionsOf(string userId, string? status = "active")
    {
        lock (_gate)
        {
            return _sessions.Values.Where(s => s.UserId == userId && (status is null || s.Status == status)).OrderByDescending(s => s.CreatedAt).ToList();
        }
    }

    public int ActiveSessions()
    {
        lock (_gate)
        {
            return _sessions.Values.Count(s => s.Status == "active");
        }
    }

    private long Now => Time.GetUtcNow().ToUnixTimeMilliseconds();

    // ---- dispatch ----

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _inFlight);
        try
        {
            await DispatchAsync(context);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task DispatchAsync(HttpContext context)
    {
        var request = context.Request;
        var body = await new StreamReader(request.Body).ReadToEndAsync(context.RequestAborted);
        var path = request.Path.Value ?? "";
        var seen = new SandboxRequest(request.Method, path, request.QueryString.Value ?? "", context.Connection.RemoteIpAddress, 0, body)
        {
            Query = request.Query.SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string>(q.Key, v ?? ""))).ToList(),
            ContentType = request.ContentType,
            Headers = request.Headers.Where(h => h.Key != "Authorization").ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
        };
        await DelayAsync(path, context.RequestAborted);
        if (path.StartsWith("/v1/", StringComparison.Ordinal))
        {
            await AnsweredAsync(context, seen, () => ApiAsync(context, seen));
        }
        else if (path.StartsWith("/status", StringComparison.Ordinal))
        {
            await StatusPageAsync(context, path);
        }
        else if (path.StartsWith("/app/", StringComparison.Ordinal))
        {
            await App.HandleAsync(context, path["/app".Length..], body);
        }
        else
        {
            context.Response.StatusCode = 404;
        }

        Requests.Enqueue(seen with { Status = context.Response.StatusCode });
    }

    /// <summary>Runs a Backend API answer; with <see cref="InspectAnswer"/> set, buffers the answer and hands it over before sending it.</summary>
    private async Task AnsweredAsync(HttpContext context, SandboxRequest seen, Func<Task> answer)
    {
        if (InspectAnswer is not { } inspect)
        {
            await answer();
            return;
        }

        var wire = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await answer();
        }
        finally
        {
            context.Response.Body = wire;
        }

        if (context.RequestAborted.IsCancellationRequested)
        {
            return; // a held request (a scripted timeout) that the client gave up on: there is no answer
        }

        var text = System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        foreach (var problem in inspect(seen with { Status = context.Response.StatusCode }, text))
        {
            Violations.Enqueue(problem);
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(wire, context.RequestAborted);
    }

    internal string NextTrace() => $"trace_sbx_{Interlocked.Increment(ref _traces)}";

    internal static async Task JsonAsync(HttpContext context, JsonNode node, int status = 200)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(node.ToJsonString());
    }

    /// <summary>Clerk's error body: {"errors":[{"message","long_message","code","meta"}],"clerk_trace_id"}.</summary>
    internal async Task ErrorAsync(HttpContext context, int status, string code, string message, string longMessage)
    {
        var trace = NextTrace();
        context.Response.Headers["Clerk-Trace-Id"] = trace;
        await JsonAsync(context, new JsonObject
        {
            ["errors"] = new JsonArray(new JsonObject { ["message"] = message, ["long_message"] = longMessage, ["code"] = code, ["meta"] = new JsonObject() }),
            ["clerk_trace_id"] = trace,
        }, status);
    }

    public async ValueTask DisposeAsync()
    {
        await _web.StopAsync();
        await _web.DisposeAsync();
    }
}

/// <summary>One request the sandbox answered: who sent it (the peer address), what, and the status it got.</summary>
public sealed record SandboxRequest(string Method, string Path, string QueryString, IPAddress? Peer, int Status, string Body)
{
    public IReadOnlyList<KeyValuePair<string, string>> Query { get; init; } = [];

    public string? ContentType { get; init; }

    /// <summary>The request's headers (never Authorization, so no key is kept), for <see cref="ClerkSandbox.Inspect"/>.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
}
