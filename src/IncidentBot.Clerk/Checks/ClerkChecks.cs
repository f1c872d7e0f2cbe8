using System.Globalization;
using System.Text;
using IncidentBot.Clerk.Api;
using IncidentBot.Clerk.Status;
using IncidentBot.Clerk.Webhooks;
using IncidentBot.Core.Approvals;
using IncidentBot.Core.Runbooks;
using Microsoft.Extensions.Options;

namespace IncidentBot.Clerk.Checks;

/// <summary>The read-only checks: clerk.status, app.health, clerk.config, clerk.diagnose, clerk.webhook-probe.</summary>
public sealed class ClerkChecks(
    IClerkClient client,
    StatusPageReader statusPage,
    IHttpClientFactory httpFactory,
    ClerkAudit audit,
    IOptions<ClerkOptions> clerkOptions,
    IOptions<AppOptions> appOptions,
    TimeProvider time) : ICheckRunner
{
    public const string NotConfigured = "Clerk is not configured (Clerk:SecretKey is empty), so the bot can't call the Backend API.";
    public const string AppClient = "app";

    public RunnerKey Key => RunnerKey.ClerkChecks;

    public async Task<CheckResult> RunAsync(string incidentId, string check, IReadOnlyDictionary<string, string> with, CancellationToken cancellationToken)
    {
        var clerk = audit.Recording(client, incidentId, check, null);
        return check switch
        {
            "clerk.status" => await StatusAsync(clerk, cancellationToken),
            "app.health" => await HealthAsync(cancellationToken),
            "clerk.config" => await ConfigAsync(clerk, cancellationToken),
            "clerk.diagnose" => await DiagnoseAsync(clerk, cancellationToken),
            "clerk.webhook-probe" => await WebhookProbeAsync(cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(check), check, "not a Clerk check"),
        };
    }

    private async Task<CheckResult> StatusAsync(IClerkClient clerk, CancellationToken cancellationToken)
    {
        var page = await statusPage.ReadAsync(cancellationToken);
        var lines = new List<string> { $"Status page ({page.Source ?? Urls.Redact(clerkOptions.Value.StatusUrl)}): {page.State}" };
        lines.AddRange(page.Details);
        var probe = await ProbeAsync(clerk, cancellationToken);
        lines.Add(probe.Line);
        bool? healthy = page.State switch
        {
            ServiceState.Outage or ServiceState.Degraded => false,
            _ when probe.Ok == false => false,
            ServiceState.Operational when probe.Ok == true => true,
            _ => null,
        };
        return new CheckResult("clerk.status", healthy, page.Summary, lines);
    }

    private async Task<(bool? Ok, string Line)> ProbeAsync(IClerkClient clerk, CancellationToken cancellationToken)
    {
        if (!clerkOptions.Value.IsConfigured)
        {
            return (null, $"Backend API probe skipped: {NotConfigured}");
        }

        var started = time.GetTimestamp();
        try
        {
            await clerk.GetJwksAsync(cancellationToken);
            return (true, $"Backend API probe (GET /jwks): ok in {Ms(time.GetElapsedTime(started))}.");
        }
        catch (Exception e) when (e is ClerkApiException or ClerkUnavailableException)
        {
            return (false, $"Backend API probe (GET /jwks) failed after {Ms(time.GetElapsedTime(started))}: {ClerkErrors.Explain(e)}");
        }
    }

    private async Task<CheckResult> HealthAsync(CancellationToken cancellationToken)
    {
        var url = appOptions.Value.HealthUrl;
        if (url.Length == 0)
        {
            return new CheckResult("app.health", null, "App:HealthUrl is not set, so the app's health can't be checked.", []);
        }

        var (status, took, failure) = await GetAsync(url, cancellationToken);
        return status is >= 200 and < 300
            ? new CheckResult("app.health", true, $"{Urls.Redact(url)} answered {status} in {Ms(took)}.", [])
            : new CheckResult("app.health", false, $"{Urls.Redact(url)} {(status is { } s ? $"answered {s}" : failure)} after {Ms(took)}.", []);
    }

    private async Task<CheckResult> ConfigAsync(IClerkClient clerk, CancellationToken cancellationToken)
    {
        var o = clerkOptions.Value;
        var app = appOptions.Value;
        var lines = new List<string>
        {
            $"Clerk:SecretKey: {(o.IsConfigured ? $"set ({o.KeyEnvironment} key)" : "NOT SET")}",
            $"Clerk:ApiUrl: {Urls.Redact(o.ApiUrl)}",
            $"Clerk:StatusUrl: {Urls.Redact(o.StatusUrl)}",
            $"Clerk:WebhookSecret: {(o.WebhookSecret.Length == 0 ? "not set" : SvixSignature.IsWellFormed(o.WebhookSecret) ? "set" : "set but not a whsec_<base64> secret")}",
            $"App:HealthUrl: {(app.HealthUrl.Length == 0 ? "not set" : Urls.Redact(app.HealthUrl))}",
            $"App:WebhookUrl: {(app.WebhookUrl.Length == 0 ? "not set" : Urls.Redact(app.WebhookUrl))}",
        };
        if (!o.IsConfigured)
        {
            return new CheckResult("clerk.config", false, NotConfigured, lines);
        }

        try
        {
            var instance = await clerk.GetInstanceAsync(cancellationToken);
            var matches = (o.KeyEnvironment, instance.EnvironmentType) is ("production", "production") or ("development", "development");
            lines.Add($"The secret key works: instance {instance.Id}, environment {instance.EnvironmentType}.");
            if (!matches)
            {
                lines.Add($"The key looks like a {o.KeyEnvironment} key but the instance is {instance.EnvironmentType}.");
            }

            return new CheckResult("clerk.config", matches && instance.EnvironmentType == "production" ? true : matches ? null : false,
                instance.EnvironmentType == "production" ? "The secret key works and belongs to a production instance." : $"The secret key works but belongs to a {instance.EnvironmentType} instance.", lines);
        }
        catch (Exception e) when (e is ClerkApiException or ClerkUnavailableException)
        {
            return new CheckResult("clerk.config", false, $"The secret key does not work: {ClerkErrors.Explain(e)}", lines);
        }
    }

    /// <summary>
    /// Times three things separately: a cheap authenticated Backend API read (GET /users?limit=1, the seed's getUserList),
    /// JWKS (GET /jwks, the keys the middleware verifies session tokens with) and the app's health URL (the seed's own
    /// endpoint check, where its auth check runs). Each gets warm-up calls that are thrown away, then Samples timed calls;
    /// the verdict is the p95 (nearest rank) against the seed's thresholds: 500 ms for the API, 100 ms for the auth check.
    /// </summary>
    private async Task<CheckResult> DiagnoseAsync(IClerkClient clerk, CancellationToken cancellationToken)
    {
        var d = clerkOptions.Value.Diagnose;
        var lines = new List<string>();
        var problems = new List<string>();
        var verdicts = new List<bool>();
        if (clerkOptions.Value.IsConfigured)
        {
            verdicts.Add(await SampleAsync("Backend API read (GET /v1/users?limit=1)", async ct =>
            {
                await clerk.ListUsersAsync(new UserQuery(Limit: 1), ct);
                return null;
            }, d.ApiMilliseconds, ApiHint, lines, problems, cancellationToken));
            verdicts.Add(await SampleAsync("JWKS (GET /v1/jwks)", async ct =>
            {
                await clerk.GetJwksAsync(ct);
                return null;
            }, d.ApiMilliseconds, JwksHint, lines, problems, cancellationToken));
        }
        else
        {
            lines.Add($"Backend API and JWKS not sampled: {NotConfigured}");
        }

        if (appOptions.Value.HealthUrl is { Length: > 0 } url)
        {
            verdicts.Add(await SampleAsync($"App health ({Urls.Redact(url)})", async ct =>
            {
                var (status, _, failure) = await GetAsync(url, ct);
                return status is >= 200 and < 300 ? null : status is { } s ? $"answered {s}" : failure;
            }, d.AuthCheckMilliseconds, AuthHint, lines, problems, cancellationToken));
        }
        else
        {
            lines.Add("App health not sampled: App:HealthUrl is not set.");
        }

        bool? healthy = verdicts.Count == 0 ? null : verdicts.All(v => v);
        var summary = healthy switch
        {
            true => $"Latency is within the seed's thresholds: p95 of the Backend API and JWKS within {d.ApiMilliseconds:0} ms, of the app's health (auth) check within {d.AuthCheckMilliseconds:0} ms.",
            false => $"Over the seed's thresholds or failing: {string.Join("; ", problems.Distinct())}.",
            null => "Nothing could be sampled.",
        };
        lines.Add($"{d.Samples} timed calls each after {d.WarmUp} warm-up call{(d.WarmUp == 1 ? "" : "s")} thrown away; p95 is the {Ordinal((int)Math.Ceiling(0.95 * d.Samples))} fastest of {d.Samples}.");
        return new CheckResult("clerk.diagnose", healthy, summary, lines);
    }

    private const string ApiHint = "API slow: check Clerk's status or the network (the seed's hint)";
    private const string JwksHint = "JWKS slow: the middleware needs these keys to verify session tokens; check Clerk's status or the network, and that the middleware caches the keys";
    private const string AuthHint = "auth check slow: check the middleware configuration (the seed's hint)";

    private async Task<bool> SampleAsync(
        string what, Func<CancellationToken, Task<string?>> call, double limitMs, string hint, List<string> lines, List<string> problems, CancellationToken cancellationToken)
    {
        var d = clerkOptions.Value.Diagnose;
        for (var i = 0; i < d.WarmUp; i++)
        {
            await TimeAsync(call, cancellationToken); // connection set-up, TLS, cold caches: not what a signed-in user waits for
        }

        var samples = new List<double>();
        for (var i = 0; i < d.Samples; i++)
        {
            var (took, failure) = await TimeAsync(call, cancellationToken);
            if (failure is not null)
            {
                // One failure is the finding; more calls would only add retries and waits.
                lines.Add($"{what}: call {i + 1} of {d.Samples} failed after {Ms(took)}: {failure}. Sampling stopped.");
                problems.Add($"{what} failing");
                return false;
            }

            samples.Add(took.TotalMilliseconds);
        }

        var sorted = samples.Order().ToList();
        var p50 = Percentile(sorted, 0.50);
        var p95 = Percentile(sorted, 0.95);
        var ok = p95 <= limitMs;
        lines.Add($"{what}: p50 {p50:0} ms, p95 {p95:0} ms over {samples.Count} samples: "
            + (ok ? $"ok (p95 limit {limitMs:0} ms)." : $"SLOW, p95 over {limitMs:0} ms: {hint}."));
        if (!ok)
        {
            problems.Add(hint);
        }

        return ok;
    }

    private async Task<(TimeSpan Took, string? Failure)> TimeAsync(Func<CancellationToken, Task<string?>> call, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        try
        {
            var failure = await call(cancellationToken);
            return (time.GetElapsedTime(started), failure);
        }
        catch (Exception e) when (e is ClerkApiException or ClerkUnavailableException)
        {
            return (time.GetElapsedTime(started), ClerkErrors.Explain(e));
        }
    }

    private static string Ordinal(int n) => n + (n % 100 is 11 or 12 or 13 ? "th" : (n % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" });

    internal static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    private async Task<CheckResult> WebhookProbeAsync(CancellationToken cancellationToken)
    {
        var url = appOptions.Value.WebhookUrl;
        var secret = clerkOptions.Value.WebhookSecret;
        if (url.Length == 0 || secret.Length == 0)
        {
            return new CheckResult("clerk.webhook-probe", null, "App:WebhookUrl and Clerk:WebhookSecret must both be set to probe the webhook endpoint.", []);
        }

        if (!SvixSignature.IsWellFormed(secret))
        {
            return new CheckResult("clerk.webhook-probe", false, "Clerk:WebhookSecret is not a whsec_<base64> signing secret.", []);
        }

        var now = time.GetUtcNow();
        var id = $"msg_incidentbot_probe_{now.ToUnixTimeMilliseconds()}";
        var body = ProbeEvent(now);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("svix-id", id);
        request.Headers.Add("svix-timestamp", now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("svix-signature", SvixSignature.Sign(secret, id, now, body));
        var (status, took, failure) = await SendAsync(request, cancellationToken);
        return status is >= 200 and < 300
            ? new CheckResult("clerk.webhook-probe", true, $"The app accepted a signed synthetic user.updated event: {status} in {Ms(took)}.", [$"svix-id {id}"])
            : new CheckResult("clerk.webhook-probe", false, $"The app did not accept a signed synthetic user.updated event: {(status is { } s ? $"HTTP {s}" : failure)} after {Ms(took)}.", [$"svix-id {id}"]);
    }

    /// <summary>A user.updated event in Clerk's envelope; the user id marks it as synthetic.</summary>
    internal static string ProbeEvent(DateTimeOffset now)
    {
        var ms = now.ToUnixTimeMilliseconds();
        var user = new Dictionary<string, object?>
        {
            ["id"] = "user_incidentbot_probe",
            ["object"] = "user",
            ["email_addresses"] = Array.Empty<object>(),
            ["primary_email_address_id"] = null,
            ["first_name"] = "IncidentBot",
            ["last_name"] = "Probe",
            ["created_at"] = ms,
            ["updated_at"] = ms,
            ["banned"] = false,
            ["locked"] = false,
            ["public_metadata"] = new Dictionary<string, object> { ["incidentbot_probe"] = true },
        };
        return System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["data"] = user,
            ["object"] = "event",
            ["type"] = "user.updated",
            ["timestamp"] = ms,
            ["instance_id"] = "ins_incidentbot_probe",
            ["event_attributes"] = new { http_request = new { client_ip = "127.0.0.1", user_agent = "IncidentBot webhook probe" } },
        });
    }

    private Task<(int? Status, TimeSpan Took, string? Failure)> GetAsync(string url, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, url), cancellationToken);

    private async Task<(int? Status, TimeSpan Took, string? Failure)> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(clerkOptions.Value.Retry.AttemptTimeoutSeconds), time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var response = await httpFactory.CreateClient(AppClient).SendAsync(request, linked.Token);
            return ((int)response.StatusCode, time.GetElapsedTime(started), null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, time.GetElapsedTime(started), "did not answer in time");
        }
        catch (HttpRequestException e)
        {
            return (null, time.GetElapsedTime(started), $"could not be reached ({e.Message})");
        }
        finally
        {
            request.Dispose();
        }
    }

    private static string Ms(TimeSpan span) => $"{span.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms";
}
