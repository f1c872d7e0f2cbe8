using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Sync.Bench;

/// <summary>
/// GET /v1/users (limit, starting_after, newest first) and /v1/users/count for N users computed from their index,
/// so a million users cost no memory here: user i has id "user_" + base62(i * 2654435761 mod 2^32) (a bijection,
/// so ids are unique and unrelated to creation order) and created_at base + i. Optional limit: N requests per 10 s
/// (sliding window), answered 429 with Retry-After beyond it, as Clerk does.
/// </summary>
public sealed class LeanClerk : IAsyncDisposable
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private const uint Multiplier = 2654435761;
    private static readonly uint Inverse = InverseOf(Multiplier);

    private readonly WebApplication _app;
    private readonly int _count;
    private readonly int? _limit;
    private readonly Queue<long> _window = new();
    private readonly Lock _gate = new();

    private readonly bool _full;

    private LeanClerk(WebApplication app, int count, int? limit, bool full)
    {
        _app = app;
        _count = count;
        _limit = limit;
        _full = full;
    }

    public string ApiUrl { get; private set; } = "";

    public int Requests;

    public int RateLimited;

    /// <param name="full">Every property Clerk's User has (as the sandbox sends it: about 2 KB a user), not only those the bot reads; also per request with full=true.</param>
    public static async Task<LeanClerk> StartAsync(int count, int? limitPer10s, bool full = false)
    {
        // No appsettings watcher: it watched the working folder, and with it every file a run writes there.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"], ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var clerk = new LeanClerk(app, count, limitPer10s, full);
        app.Run(clerk.HandleAsync);
        await app.StartAsync();
        clerk.ApiUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/v1/";
        return clerk;
    }

    public static string Id(int i) => "user_" + Encode((uint)i * Multiplier);

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref Requests);
        if (_limit is { } limit && !Admit(limit, out var wait))
        {
            Interlocked.Increment(ref RateLimited);
            context.Response.StatusCode = 429;
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await context.Response.WriteAsync("""{"errors":[{"message":"too many requests","long_message":"Too many requests","code":"too_many_requests"}]}""");
            return;
        }

        var path = context.Request.Path.Value;
        context.Response.ContentType = "application/json";
        if (path == "/v1/users/count")
        {
            await context.Response.WriteAsync($$"""{"object":"total_count","total_count":{{_count}}}""");
            return;
        }

        if (path != "/v1/users")
        {
            context.Response.StatusCode = 404;
            return;
        }

        var q = context.Request.Query;
        var take = q.TryGetValue("limit", out var l) ? int.Parse(l!, System.Globalization.CultureInfo.InvariantCulture) : 10;
        var start = q.TryGetValue("starting_after", out var after) ? _count - (int)Index(after!) : 0; // position = N-1-i, next = +1
        var full = _full || q.ContainsKey("full");
        await using var json = new Utf8JsonWriter(context.Response.BodyWriter.AsStream());
        json.WriteStartArray();
        for (var p = start; p < Math.Min(_count, start + take); p++)
        {
            WriteUser(json, _count - 1 - p, full);
        }

        json.WriteEndArray();
    }

    private static void WriteUser(Utf8JsonWriter json, int i, bool full)
    {
        var id = Id(i);
        var created = 1_700_000_000_000L + i;
        json.WriteStartObject();
        json.WriteString("id", id);
        json.WriteString("object", "user");
        json.WriteString("first_name", "User");
        json.WriteString("last_name", "N" + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var second = i % 7 == 0;
        json.WriteString("primary_email_address_id", second ? $"idn_{i}_1" : $"idn_{i}_0");
        json.WriteStartArray("email_addresses");
        WriteEmail(json, $"idn_{i}_0", $"u{i}@example.com", full, created);
        if (second)
        {
            WriteEmail(json, $"idn_{i}_1", $"primary{i}@example.com", full, created);
        }

        json.WriteEndArray();
        json.WriteBoolean("banned", false);
        json.WriteBoolean("locked", false);
        json.WriteBoolean("password_enabled", true);
        json.WriteNumber("last_active_at", created);
        json.WriteNumber("created_at", created);
        json.WriteNumber("updated_at", created);
        if (full)
        {
            WriteTheRest(json, created);
        }

        json.WriteEndObject();
    }

    /// <summary>The User properties the bot doesn't read, as the sandbox (SandboxJson.User) sends them.</summary>
    private static void WriteTheRest(Utf8JsonWriter json, long created)
    {
        foreach (var name in new[] { "external_id", "primary_phone_number_id", "primary_web3_wallet_id", "username", "locale", "mfa_enabled_at", "mfa_disabled_at", "legal_accepted_at" })
        {
            json.WriteNull(name);
        }

        json.WriteString("image_url", "https://img.clerk.com/eyJ0eXBlIjoiZGVmYXVsdCIsImlpZCI6Imluc18yOWR1dTdiVXpSV0VtM0Y1Z2t3a1Z5V2UxeXQifQ");
        json.WriteBoolean("has_image", false);
        foreach (var name in new[] { "public_metadata", "private_metadata", "unsafe_metadata" })
        {
            json.WriteStartObject(name);
            json.WriteEndObject();
        }

        foreach (var name in new[] { "phone_numbers", "web3_wallets", "passkeys", "external_accounts", "saml_accounts", "enterprise_accounts" })
        {
            json.WriteStartArray(name);
            json.WriteEndArray();
        }

        json.WriteBoolean("two_factor_enabled", false);
        json.WriteBoolean("totp_enabled", false);
        json.WriteBoolean("backup_code_enabled", false);
        json.WriteNumber("password_last_updated_at", created);
        json.WriteNumber("last_sign_in_at", created);
        json.WriteNull("lockout_expires_in_seconds");
        json.WriteNumber("verification_attempts_remaining", 100);
        json.WriteBoolean("delete_self_enabled", true);
        json.WriteBoolean("create_organization_enabled", true);
    }

    private static void WriteEmail(Utf8JsonWriter json, string id, string address, bool full, long created)
    {
        json.WriteStartObject();
        json.WriteString("id", id);
        json.WriteString("object", "email_address");
        json.WriteString("email_address", address);
        if (full)
        {
            json.WriteBoolean("reserved", false);
            json.WriteStartObject("verification");
            json.WriteString("object", "verification_otp");
            json.WriteString("status", "verified");
            json.WriteString("strategy", "email_code");
            json.WriteNumber("attempts", 1);
            json.WriteNumber("expire_at", created + 600_000);
            json.WriteEndObject();
            json.WriteStartArray("linked_to");
            json.WriteEndArray();
            json.WriteBoolean("matches_sso_connection", false);
            json.WriteNumber("created_at", created);
            json.WriteNumber("updated_at", created);
        }

        json.WriteEndObject();
    }

    private bool Admit(int limit, out TimeSpan wait)
    {
        var now = Stopwatch.GetTimestamp();
        var window = Stopwatch.Frequency * 10;
        lock (_gate)
        {
            while (_window.Count > 0 && _window.Peek() <= now - window)
            {
                _window.Dequeue();
            }

            if (_window.Count >= limit)
            {
                wait = Stopwatch.GetElapsedTime(now, _window.Peek() + window);
                return false;
            }

            _window.Enqueue(now);
            wait = TimeSpan.Zero;
            return true;
        }
    }

    private static string Encode(uint x)
    {
        Span<char> chars = stackalloc char[6];
        for (var k = 5; k >= 0; k--)
        {
            chars[k] = Base62[(int)(x % 62)];
            x /= 62;
        }

        return new string(chars);
    }

    private static uint Index(string id)
    {
        ulong x = 0;
        foreach (var c in id.AsSpan(5))
        {
            x = (x * 62) + (ulong)Base62.IndexOf(c, StringComparison.Ordinal);
        }

        return (uint)x * Inverse;
    }

    private static uint InverseOf(uint a)
    {
        var x = a; // Newton's iteration for the inverse modulo 2^32 (a is odd)
        for (var k = 0; k < 5; k++)
        {
            x *= 2 - (a * x);
        }

        return x;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
