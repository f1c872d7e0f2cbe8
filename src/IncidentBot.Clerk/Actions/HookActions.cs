using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IncidentBot.Core.Approvals;
using IncidentBot.Core.Runbooks;
using Microsoft.Extensions.Options;

namespace IncidentBot.Clerk.Actions;

/// <summary>
/// <c>hook &lt;name&gt;</c>: a named HTTP call from configuration (Hooks:&lt;name&gt;). The JSON body says which hook,
/// incident and approval; with a Secret it is signed: X-IncidentBot-Signature: t=&lt;unix s&gt;,v1=&lt;hex HMAC-SHA256 of "t.body"&gt;.
/// Not retried: a hook need not be idempotent.
/// </summary>
public sealed class HookActions(IHttpClientFactory httpFactory, ClerkAudit audit, IOptions<HooksOptions> hooks, TimeProvider time) : IActionRunner
{
    public const string Client = "hooks";
    public const string SignatureHeader = "X-IncidentBot-Signature";

    public RunnerKey Key => RunnerKey.Hooks;

    public Task<ActionPlan> PlanAsync(ActionAsk ask, CancellationToken cancellationToken)
    {
        var name = ask.Parameters.GetValueOrDefault("name") ?? "";
        var title = $"hook {name}";
        if (!hooks.Value.Hooks.TryGetValue(name, out var hook) || hook.Url.Length == 0)
        {
            var known = hooks.Value.Hooks.Where(h => h.Value.Url.Length > 0).Select(h => h.Key).ToList();
            return Task.FromResult(ActionPlan.Refused(title,
                $"No hook '{name}' is configured (set Hooks:{name}:Url).{(known.Count > 0 ? $" Configured: {string.Join(", ", known)}." : "")}"));
        }

        var target = new PlannedTarget { Id = name, Note = $"{hook.Method.ToUpperInvariant()} {Urls.Redact(hook.Url)}{(hook.Secret.Length > 0 ? ", signed" : "")}" };
        var extra = hook.Bypass.Length > 0 ? new Dictionary<string, string> { ["bypass"] = hook.Bypass.ToLowerInvariant() } : null;
        var summary = hook.Bypass.ToLowerInvariant() switch
        {
            "on" => "turns the emergency bypass ON: requests get through without auth until it is turned off",
            "off" => "turns the emergency bypass off",
            _ => $"calls {Urls.Redact(hook.Url)}",
        };
        return Task.FromResult(new ActionPlan(title, [target], hook.Destructive, summary, Parameters: extra));
    }

    public async Task<IReadOnlyList<TargetResult>> RunAsync(ActionRun run, CancellationToken cancellationToken)
    {
        var name = run.Parameters.GetValueOrDefault("name") ?? "";
        var hook = hooks.Value.Hooks[name];
        var now = time.GetUtcNow();
        var body = JsonSerializer.Serialize(new { hook = name, incident = run.IncidentId, approval = run.ApprovalId, approved_by = run.ApprovedBy, at = now });
        using var request = new HttpRequestMessage(new HttpMethod(hook.Method.ToUpperInvariant()), hook.Url)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (hook.Secret.Length > 0)
        {
            request.Headers.Add(SignatureHeader, Sign(hook.Secret, now, body));
        }

        var started = time.GetTimestamp();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(hook.TimeoutSeconds), time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var sent = $"{request.Method} {Urls.Redact(hook.Url)}";
        string outcome;
        bool ok;
        try
        {
            using var response = await httpFactory.CreateClient(Client).SendAsync(request, linked.Token);
            ok = response.IsSuccessStatusCode;
            outcome = $"HTTP {(int)response.StatusCode}";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            ok = false;
            outcome = $"no answer within {hook.TimeoutSeconds:0} s";
        }
        catch (HttpRequestException e)
        {
            ok = false;
            outcome = $"could not be reached ({e.Message})";
        }

        var took = time.GetElapsedTime(started).TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture);
        audit.Write(run.IncidentId, "request", run.Action, run.ApprovalId, $"{sent} -> {outcome} ({took} ms)");
        return [new TargetResult { Target = name, Succeeded = ok, Detail = $"{sent}: {outcome}" }];
    }

    public static string Sign(string secret, DateTimeOffset at, string body)
    {
        var t = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.{body}"));
        return $"t={t},v1={Convert.ToHexStringLower(mac)}";
    }
}
