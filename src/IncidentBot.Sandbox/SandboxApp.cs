using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using IncidentBot.Clerk.Webhooks;
using Microsoft.AspNetCore.Http;

namespace IncidentBot.Sandbox;

/// <summary>
/// The app the bot watches: a health URL that fails while Clerk is down (unless the emergency bypass is on), a Clerk
/// webhook receiver that verifies Svix signatures and keeps the app's user table, and the signed hooks that switch
/// the bypass and webhook processing.
/// </summary>
public sealed class SandboxApp
{
    public const string BypassOn = "bypass-on";
    public const string BypassOff = "bypass-off";
    public const string PauseWebhooks = "webhooks-pause";
    public const string ResumeWebhooks = "webhooks-resume";

    private readonly ClerkSandbox _sandbox;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, AppUser> _table = [];
    private readonly Queue<SandboxUser> _queued = new();
    private int _missed;

    internal SandboxApp(ClerkSandbox sandbox) => _sandbox = sandbox;

    public bool Bypass { get; private set; }

    public bool WebhooksPaused { get; private set; }

    /// <summary>The receiver answers 500 (a drill's webhook failure); resuming webhook processing deploys the fix.</summary>
    public bool ReceiverFailing { get; internal set; }

    /// <summary>Clerk changes the app never got (the receiver failed them past Svix's retries).</summary>
    public int Missed => Volatile.Read(ref _missed);

    /// <summary>Every hook call: which switch, whether its signature verified, and what was sent (method, body, signature header).</summary>
    public ConcurrentQueue<HookCall> HookCalls { get; } = new();

    /// <summary>Every delivery to the webhook receiver: its svix-id, whether the signature verified, the status answered, and the body.</summary>
    public ConcurrentQueue<WebhookDelivery> Deliveries { get; } = new();

    /// <summary>Users whose row in the app differs from Clerk (missing, other primary email, other ban state).</summary>
    public IReadOnlyList<string> Drift()
    {
        var clerk = _sandbox.Users;
        lock (_gate)
        {
            return clerk.Where(u => !_table.TryGetValue(u.Id, out var row) || row.Email != u.PrimaryEmail || row.Banned != u.Banned).Select(u => u.Id).ToList();
        }
    }

    public int TableSize
    {
        get
        {
            lock (_gate)
            {
                return _table.Count;
            }
        }
    }

    internal void SyncAll(IEnumerable<SandboxUser> users)
    {
        lock (_gate)
        {
            foreach (var user in users)
            {
                _table[user.Id] = new AppUser(user.PrimaryEmail, user.Banned);
            }
        }
    }

    /// <summary>Clerk sends user.updated/user.created to the app (called under the sandbox's lock).</summary>
    internal void Deliver(SandboxUser user)
    {
        lock (_gate)
        {
            if (WebhooksPaused)
            {
                _queued.Enqueue(user);
            }
            else if (ReceiverFailing)
            {
                _missed++;
            }
            else
            {
                _table[user.Id] = new AppUser(user.PrimaryEmail, user.Banned);
            }
        }
    }

    internal async Task HandleAsync(HttpContext context, string path, string body)
    {
        var request = context.Request;
        if (path == "/health")
        {
            if (_sandbox.Faults.SlowBy is { } slow)
            {
                await _sandbox.Wait(slow, context.RequestAborted);
            }

            var down = _sandbox.Faults.AuthOutageActive && !Bypass;
            context.Response.StatusCode = _sandbox.HealthStatus ?? (down ? 503 : 200);
            await context.Response.WriteAsync(down ? "auth middleware: Clerk unavailable" : Bypass ? "ok (emergency bypass ON)" : "ok");
            return;
        }

        if (path == "/webhooks/clerk")
        {
            var id = request.Headers["svix-id"].ToString();
            var valid = SvixSignature.Verify(_sandbox.Options.WebhookSecret, id, request.Headers["svix-timestamp"].ToString(), body,
                request.Headers["svix-signature"].ToString(), _sandbox.Time.GetUtcNow());
            var status = !valid ? 400 : WebhooksPaused ? 202 : ReceiverFailing ? 500 : 204;
            Deliveries.Enqueue(new WebhookDelivery(id, valid, status, body));
            context.Response.StatusCode = status;
            if (status == 500)
            {
                await context.Response.WriteAsync("webhook handler failed: column \"primary_email\" does not exist");
            }

            return;
        }

        if (path.StartsWith("/hooks/", StringComparison.Ordinal))
        {
            var name = path["/hooks/".Length..];
            var signature = request.Headers["X-IncidentBot-Signature"].ToString();
            var valid = VerifyHook(signature, body);
            HookCalls.Enqueue(new HookCall(name, valid, request.Method, body, signature.Length == 0 ? null : signature));
            if (!valid)
            {
                context.Response.StatusCode = 401;
                await context.Response.WriteAsync("bad or missing X-IncidentBot-Signature");
                return;
            }

            var switched = Switch(name);
            context.Response.StatusCode = _sandbox.HookStatus ?? (switched ? 200 : 404);
            return;
        }

        context.Response.StatusCode = 404;
    }

    private bool Switch(string name)
    {
        switch (name)
        {
            case BypassOn:
                Bypass = true;
                return true;
            case BypassOff:
                Bypass = false;
                return true;
            case PauseWebhooks:
                lock (_gate)
                {
                    WebhooksPaused = true;
                }

                return true;
            case ResumeWebhooks:
                lock (_gate)
                {
                    // The drill's story: the receiver's fix was deployed while processing was paused.
                    WebhooksPaused = false;
                    ReceiverFailing = false;
                    while (_queued.TryDequeue(out var user))
                    {
                        _table[user.Id] = new AppUser(user.PrimaryEmail, user.Banned);
                    }
                }

                return true;
            default:
                return name.StartsWith("other/", StringComparison.Ordinal);
        }
    }

    /// <summary>X-IncidentBot-Signature: t=&lt;unix s&gt;,v1=&lt;hex HMAC-SHA256(secret, "t.body")&gt;, within 5 minutes.</summary>
    private bool VerifyHook(string header, string body)
    {
        var parts = header.Split(',').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        if (!parts.TryGetValue("t", out var t) || !parts.TryGetValue("v1", out var v1) || !long.TryParse(t, CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs(_sandbox.Time.GetUtcNow().ToUnixTimeSeconds() - seconds) > 300)
        {
            return false;
        }

        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(_sandbox.Options.HookSecret), Encoding.UTF8.GetBytes($"{t}.{body}")));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(v1));
    }

    private sealed record AppUser(string Email, bool Banned);
}

public sealed record WebhookDelivery(string Id, bool Valid, int Status, string Body);

public sealed record HookCall(string Hook, bool Valid, string Method, string Body, string? Signature);
