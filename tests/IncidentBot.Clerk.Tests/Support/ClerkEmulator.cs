using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IncidentBot.Clerk.Webhooks;
using IncidentBot.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Clerk.Tests.Support;

/// <summary>
/// A Clerk Backend API on 127.0.0.1 (plus the watched app's health, webhook and hook endpoints, and a status page).
/// Every /v1 request is checked against the OpenAPI spec and the headers Clerk expects; answers use Clerk's shapes:
/// bare arrays from GET /users, {data,total_count} from paginated sessions, ClerkErrors bodies with clerk_trace_id.
/// </summary>
public sealed class ClerkEmulator : IAsyncDisposable
{
    public const string SecretKey = "sk_test_emulator";

    private readonly WebApplication _app;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, EmuUser> _users = [];
    private readonly Dictionary<string, EmuSession> _sessions = [];
    private readonly List<Fault> _faults = [];
    private readonly Queue<DateTimeOffset> _window = new();
    private readonly ConcurrentDictionary<string, int> _callsByPath = new();
    private int _traces;
    private int _inFlight;
    private int _hung;

    private ClerkEmulator(WebApplication app, TimeProvider time)
    {
        _app = app;
        _time = time;
    }

    public static async Task<ClerkEmulator> StartAsync(TimeProvider time)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var emulator = new ClerkEmulator(app, time);
        app.Run(emulator.HandleAsync);
        await app.StartAsync();
        emulator.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return emulator;
    }

    public string BaseUrl { get; private set; } = "";

    public string ApiUrl => BaseUrl + "/v1/";

    public string WebhookSecret { get; set; } = "whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes("emulator-webhook-signing-key-32b"));

    /// <summary>Requests allowed per <see cref="RateWindow"/> (null: no limit).</summary>
    public int? RateLimit { get; set; }

    public TimeSpan RateWindow { get; set; } = TimeSpan.FromSeconds(10);

    public string EnvironmentType { get; set; } = "development";

    public int HealthStatus { get; set; } = 200;

    public int HookStatus { get; set; } = 200;

    public string? StatusJson { get; set; }

    public string? StatusRss { get; set; }

    public ConcurrentQueue<string> Violations { get; } = new();

    public ConcurrentQueue<(string Method, string Path, int Status)> Requests { get; } = new();

    public ConcurrentQueue<(string Name, string Method, string Body, string? Signature)> HookCalls { get; } = new();

    public ConcurrentQueue<(bool Valid, string Body)> WebhookDeliveries { get; } = new();

    /// <summary>Every webhook dashboard sign-in link POST /webhooks/svix_url handed out.</summary>
    public ConcurrentQueue<string> DashboardLinks { get; } = new();

    /// <summary>
    /// How long the answer to the nth request (1-based) to a path takes. With a <see cref="FakeTimeProvider"/> the fake clock
    /// is moved on by that much while the request is answered, so measured latency is exact; otherwise it is a real delay.
    /// </summary>
    public Func<string, int, TimeSpan>? Latency { get; set; }

    public int RateLimited;

    /// <summary>Requests being answered right now, and those deliberately held without an answer (timeouts).</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    public int Hung => Volatile.Read(ref _hung);

    public int Count(string method, string pathPattern) =>
        Requests.Count(r => r.Method == method && Regex.IsMatch(r.Path, pathPattern));

    // ---- data ----

    public EmuUser AddUser(string id, string[] emails, int primary = 0, int sessions = 0, bool banned = false, bool locked = false)
    {
        lock (_gate)
        {
            var user = new EmuUser
            {
                Id = id,
                Emails = emails.Select((e, i) => (Id: $"idn_{id[5..]}_{i}", Email: e)).ToList(),
                PrimaryIndex = primary,
                Banned = banned,
                Locked = locked,
                CreatedAt = 1_700_000_000_000 + _users.Count,
            };
            _users[id] = user;
            for (var i = 0; i < sessions; i++)
            {
                var session = new EmuSession { Id = $"sess_{id[5..]}_{i}", UserId = id, Status = "active", CreatedAt = user.CreatedAt + i };
                _sessions[session.Id] = session;
            }

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

    public EmuUser User(string id)
    {
        lock (_gate)
        {
            return _users[id];
        }
    }

    public int ActiveSessions(string userId)
    {
        lock (_gate)
        {
            return _sessions.Values.Count(s => s.UserId == userId && s.Status == "active");
        }
    }

    public int AllActiveSessions()
    {
        lock (_gate)
        {
            return _sessions.Values.Count(s => s.Status == "active");
        }
    }

    /// <summary>Answers <paramref name="times"/> matching requests with an error (or holds them unanswered, for timeouts).</summary>
    public void Fail(string method, string pathPattern, int status, string code, int times = int.MaxValue, int? retryAfter = null, bool hang = false)
    {
        lock (_gate)
        {
            _faults.Add(new Fault(method, new Regex(pathPattern), status, code, retryAfter, hang) { Left = times });
        }
    }

    public void ClearFaults()
    {
        lock (_gate)
        {
            _faults.Clear();
        }
    }

    // ---- the server ----

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _inFlight);
        try
        {
            var request = context.Request;
            var body = await new StreamReader(request.Body).ReadToEndAsync();
            var path = request.Path.Value ?? "";
            var nth = _callsByPath.AddOrUpdate(path, 1, (_, n) => n + 1);
            if (Latency?.Invoke(path, nth) is { } delay && delay > TimeSpan.Zero)
            {
                if (_time is FakeTimeProvider fake)
                {
                    fake.Advance(delay);
                }
                else
                {
                    await Task.Delay(delay);
                }
            }

            if (path.StartsWith("/v1/", StringComparison.Ordinal))
            {
                await ApiAsync(context, path, body);
            }
            else
            {
                await AppAsync(context, path, body);
            }

            Requests.Enqueue((request.Method, path, context.Response.StatusCode));
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task ApiAsync(HttpContext context, string path, string body)
    {
        var request = context.Request;
        var query = request.Query.SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string>(q.Key, v ?? ""))).ToList();
        foreach (var problem in OpenApiSpec.Clerk.Check(request.Method, path, query, request.ContentType, body))
        {
            Violations.Enqueue(problem);
        }

        if (request.Headers["Clerk-API-Version"].ToString() != OpenApiSpec.Clerk.Version)
        {
            Violations.Enqueue($"{request.Method} {path}: Clerk-API-Version is '{request.Headers["Clerk-API-Version"]}', not {OpenApiSpec.Clerk.Version}");
        }

        if (request.Query.ContainsKey("__clerk_api_version"))
        {
            Violations.Enqueue($"{request.Method} {path}: sends the API version twice (header and query)");
        }

        if (request.Headers.UserAgent.ToString().Length == 0)
        {
            Violations.Enqueue($"{request.Method} {path}: no User-Agent");
        }

        var auth = request.Headers.Authorization.ToString();
        if (!auth.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            Violations.Enqueue($"{request.Method} {path}: Authorization is not 'Bearer <key>'");
        }

        context.Response.Headers["cf-ray"] = $"ray{Interlocked.Increment(ref _traces)}-AMS";
        if (auth != "Bearer " + SecretKey)
        {
            await ErrorAsync(context, 401, "clerk_key_invalid", "The provided Clerk Secret Key is invalid.");
            return;
        }

        if (TakeFault(request.Method, path) is { } fault)
        {
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

                return;
            }

            if (fault.RetryAfter is { } seconds)
            {
                context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            await ErrorAsync(context, fault.Status, fault.Code, $"Injected {fault.Status} {fault.Code}.");
            return;
        }

        if (RateLimit is { } limit && !path.EndsWith("/jwks", StringComparison.Ordinal))
        {
            var now = _time.GetUtcNow();
            TimeSpan? wait = null;
            lock (_gate)
            {
                while (_window.Count > 0 && _window.Peek() <= now - RateWindow)
                {
                    _window.Dequeue();
                }

                if (_window.Count >= limit)
                {
                    wait = _window.Peek() + RateWindow - now;
                }
                else
                {
                    _window.Enqueue(now);
                }
            }

            if (wait is { } w)
            {
                Interlocked.Increment(ref RateLimited);
                context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(w.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await ErrorAsync(context, 429, "too_many_requests", "Too many requests, retry later");
                return;
            }
        }

        await RouteAsync(context, request.Method, path["/v1".Length..], body);
    }

    private async Task RouteAsync(HttpContext context, string method, string path, string body)
    {
        var q = context.Request.Query;
        Match m;
        switch (method)
        {
            case "GET" when path == "/users":
            {
                var limit = q.TryGetValue("limit", out var l) ? int.Parse(l!) : 10;
                var offset = q.TryGetValue("offset", out var o) ? int.Parse(o!) : 0;
                var users = FilterUsers(q);
                if (q.TryGetValue("starting_after", out var after))
                {
                    users = users.SkipWhile(u => u.Id != after).Skip(1).ToList();
                }

                await JsonAsync(context, new JsonArray(users.Skip(offset).Take(limit).Select(u => (JsonNode)u.Json()).ToArray()));
                return;
            }

            case "GET" when path == "/users/count":
                await JsonAsync(context, new JsonObject { ["object"] = "total_count", ["total_count"] = FilterUsers(q).Count });
                return;
            case "GET" when (m = Regex.Match(path, "^/users/(user_[^/]+)$")).Success:
                await UserAsync(context, m.Groups[1].Value, _ => { });
                return;
            case "POST" when (m = Regex.Match(path, "^/users/(user_[^/]+)/(ban|unban|lock|unlock)$")).Success:
                await UserAsync(context, m.Groups[1].Value, u => Apply(u, m.Groups[2].Value));
                return;
            case "POST" when (m = Regex.Match(path, "^/users/(user_[^/]+)/password/set_compromised$")).Success:
            {
                var revoke = body.Length > 0 && JsonNode.Parse(body)?["revoke_all_sessions"]?.GetValue<bool>() == true;
                await UserAsync(context, m.Groups[1].Value, u =>
                {
                    u.PasswordCompromised = true;
                    if (revoke)
                    {
                        EndSessions(u.Id);
                    }
                });
                return;
            }

            case "POST" when path is "/users/ban" or "/users/unban":
            {
                var ids = JsonNode.Parse(body)!["user_ids"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
                var changed = new JsonArray();
                lock (_gate)
                {
                    foreach (var id in ids.Where(_users.ContainsKey))
                    {
                        Apply(_users[id], path[7..]);
                        changed.Add(_users[id].Json());
                    }
                }

                await JsonAsync(context, changed);
                return;
            }

            case "GET" when path == "/sessions":
            {
                var limit = q.TryGetValue("limit", out var l) ? int.Parse(l!) : 10;
                var offset = q.TryGetValue("offset", out var o) ? int.Parse(o!) : 0;
                List<EmuSession> matching;
                lock (_gate)
                {
                    matching = _sessions.Values
                        .Where(s => (!q.ContainsKey("user_id") || s.UserId == q["user_id"]) && (!q.ContainsKey("status") || s.Status == q["status"]))
                        .OrderByDescending(s => s.CreatedAt)
                        .ToList();
                }

                var page = new JsonArray(matching.Skip(offset).Take(limit).Select(s => (JsonNode)s.Json()).ToArray());
                await JsonAsync(context, q["paginated"] == "true" ? new JsonObject { ["data"] = page, ["total_count"] = matching.Count } : page);
                return;
            }

            case "POST" when (m = Regex.Match(path, "^/sessions/(sess_[^/]+)/revoke$")).Success:
            {
                JsonObject? json = null;
                lock (_gate)
                {
                    if (_sessions.TryGetValue(m.Groups[1].Value, out var session))
                    {
                        session.Status = "revoked";
                        json = session.Json();
                    }
                }

                await (json is null ? ErrorAsync(context, 404, "resource_not_found", $"No session was found with id {m.Groups[1].Value}") : JsonAsync(context, json));
                return;
            }

            case "GET" when path == "/instance":
                await JsonAsync(context, new JsonObject { ["object"] = "instance", ["id"] = "ins_emulator", ["environment_type"] = EnvironmentType, ["allowed_origins"] = null });
                return;
            case "POST" when path == "/webhooks/svix_url":
            {
                var link = $"https://app.svix.com/app_emulator/login#key=svixtoken{Interlocked.Increment(ref _traces)}{Guid.NewGuid():N}";
                DashboardLinks.Enqueue(link);
                await JsonAsync(context, new JsonObject { ["svix_url"] = link });
                return;
            }

            case "GET" when path == "/jwks":
                await JsonAsync(context, new JsonObject { ["keys"] = new JsonArray(new JsonObject { ["use"] = "sig", ["kty"] = "RSA", ["kid"] = "ins_emulator", ["alg"] = "RS256", ["n"] = "AQAB", ["e"] = "AQAB" }) });
                return;
            default:
                await ErrorAsync(context, 404, "resource_not_found", $"The emulator does not serve {method} {path}");
                return;
        }
    }

    private List<EmuUser> FilterUsers(IQueryCollection q)
    {
        lock (_gate)
        {
            return _users.Values
                .Where(u => !q.ContainsKey("user_id") || q["user_id"].Contains(u.Id))
                .Where(u => !q.ContainsKey("email_address") || u.Emails.Any(e => q["email_address"].Any(x => string.Equals(x, e.Email, StringComparison.OrdinalIgnoreCase))))
                .Where(u => !q.ContainsKey("banned") || u.Banned == (q["banned"] == "true"))
                .OrderByDescending(u => u.CreatedAt)
                .ToList();
        }
    }

    private async Task UserAsync(HttpContext context, string id, Action<EmuUser> change)
    {
        JsonObject? json = null;
        lock (_gate)
        {
            if (_users.TryGetValue(id, out var user))
            {
                change(user);
                json = user.Json();
            }
        }

        await (json is null ? ErrorAsync(context, 404, "resource_not_found", $"No user was found with id {id}") : JsonAsync(context, json));
    }

    private void Apply(EmuUser user, string verb)
    {
        switch (verb)
        {
            case "ban":
                user.Banned = true;
                EndSessions(user.Id);
                break;
            case "unban":
                user.Banned = false;
                break;
            case "lock":
                user.Locked = true;
                break;
            default:
                user.Locked = false;
                break;
        }
    }

    private void EndSessions(string userId)
    {
        foreach (var session in _sessions.Values.Where(s => s.UserId == userId && s.Status == "active"))
        {
            session.Status = "revoked";
        }
    }

    private Fault? TakeFault(string method, string path)
    {
        lock (_gate)
        {
            var fault = _faults.FirstOrDefault(f => f.Left > 0 && f.Method == method && f.Path.IsMatch(path));
            if (fault is not null)
            {
                fault.Left--;
            }

            return fault;
        }
    }

    private async Task ErrorAsync(HttpContext context, int status, string code, string longMessage)
    {
        var trace = $"trace_{Interlocked.Increment(ref _traces)}";
        context.Response.Headers["Clerk-Trace-Id"] = trace;
        context.Response.StatusCode = status;
        await JsonAsync(context, new JsonObject
        {
            ["errors"] = new JsonArray(new JsonObject { ["message"] = code.Replace('_', ' '), ["long_message"] = longMessage, ["code"] = code, ["meta"] = new JsonObject() }),
            ["clerk_trace_id"] = trace,
        }, status);
    }

    private static async Task JsonAsync(HttpContext context, JsonNode node, int status = 200)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(node.ToJsonString());
    }

    // ---- the watched app and the status page ----

    private async Task AppAsync(HttpContext context, string path, string body)
    {
        var request = context.Request;
        switch (path)
        {
            case "/health":
                context.Response.StatusCode = HealthStatus;
                await context.Response.WriteAsync("ok");
                return;
            case "/webhooks/clerk":
            {
                var valid = SvixSignature.Verify(WebhookSecret, request.Headers["svix-id"].ToString(), request.Headers["svix-timestamp"].ToString(), body,
                    request.Headers["svix-signature"].ToString(), _time.GetUtcNow());
                WebhookDeliveries.Enqueue((valid, body));
                context.Response.StatusCode = valid ? 204 : 400;
                return;
            }

            case "/status/api/v2/summary.json" when StatusJson is not null:
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(StatusJson);
                return;
            case "/status/feed.rss" when StatusRss is not null:
                context.Response.ContentType = "application/rss+xml";
                await context.Response.WriteAsync(StatusRss);
                return;
        }

        if (path.StartsWith("/hooks/", StringComparison.Ordinal))
        {
            HookCalls.Enqueue((path[7..], request.Method, body, request.Headers["X-IncidentBot-Signature"].FirstOrDefault()));
            context.Response.StatusCode = HookStatus;
            return;
        }

        context.Response.StatusCode = 404;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed record Fault(string Method, Regex Path, int Status, string Code, int? RetryAfter, bool Hang)
    {
        public int Left { get; set; }
    }

    public sealed class EmuUser
    {
        public required string Id { get; init; }

        public required List<(string Id, string Email)> Emails { get; init; }

        public int PrimaryIndex { get; init; }

        public bool Banned { get; set; }

        public bool Locked { get; set; }

        public bool PasswordCompromised { get; set; }

        public long CreatedAt { get; init; }

        public string PrimaryEmail => Emails[PrimaryIndex].Email;

        public JsonObject Json() => new()
        {
            ["id"] = Id,
            ["object"] = "user",
            ["external_id"] = null,
            ["username"] = null,
            ["first_name"] = "Emu",
            ["last_name"] = Id,
            ["primary_email_address_id"] = Emails.Count == 0 ? null : Emails[PrimaryIndex].Id,
            ["primary_phone_number_id"] = null,
            ["primary_web3_wallet_id"] = null,
            ["email_addresses"] = new JsonArray(Emails.Select(e => (JsonNode)new JsonObject
            {
                ["id"] = e.Id,
                ["object"] = "email_address",
                ["email_address"] = e.Email,
                ["reserved"] = false,
                ["verification"] = null,
                ["linked_to"] = new JsonArray(),
            }).ToArray()),
            ["phone_numbers"] = new JsonArray(),
            ["web3_wallets"] = new JsonArray(),
            ["passkeys"] = new JsonArray(),
            ["password_enabled"] = true,
            ["two_factor_enabled"] = false,
            ["public_metadata"] = new JsonObject(),
            ["private_metadata"] = new JsonObject(),
            ["external_accounts"] = new JsonArray(),
            ["banned"] = Banned,
            ["locked"] = Locked,
            ["lockout_expires_in_seconds"] = null,
            ["last_sign_in_at"] = CreatedAt,
            ["last_active_at"] = CreatedAt,
            ["created_at"] = CreatedAt,
            ["updated_at"] = CreatedAt,
        };
    }

    public sealed class EmuSession
    {
        public required string Id { get; init; }

        public required string UserId { get; init; }

        public string Status { get; set; } = "active";

        public long CreatedAt { get; init; }

        public JsonObject Json() => new()
        {
            ["object"] = "session",
            ["id"] = Id,
            ["user_id"] = UserId,
            ["client_id"] = "client_" + UserId[5..],
            ["actor"] = null,
            ["status"] = Status,
            ["last_active_organization_id"] = null,
            ["last_active_at"] = CreatedAt,
            ["latest_activity"] = null,
            ["expire_at"] = CreatedAt + 604_800_000,
            ["abandon_at"] = CreatedAt + 2_592_000_000,
            ["updated_at"] = CreatedAt,
            ["created_at"] = CreatedAt,
            ["tasks"] = null,
        };
    }
}
