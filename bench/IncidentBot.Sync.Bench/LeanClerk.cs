using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
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
/// GET /v1/users and /v1/users/count for N users computed from their index, so a million users cost no memory here:
/// user i (0 ≤ i &lt; N) has id "user_" + base62(i * 2654435761 mod 2^32) (a bijection, so ids are unique and unrelated
/// to creation order) and created_at 1_700_000_000_000 + i. Every page is computed arithmetically from the query
/// (no scan over users), and written straight into the response with constant UTF-8 names (a few µs a user).
/// <list type="bullet">
/// <item><c>created_at_after</c> / <c>created_at_before</c> (integers, Unix ms; on both paths): strict, created_at &gt; after
/// and created_at &lt; before, so a range is an interval of indexes; /v1/users/count counts it.</item>
/// <item><c>order_by</c>: absent or <c>-created_at</c> newest first (Clerk's default); <c>created_at</c> or <c>+created_at</c>
/// (also " created_at", an unescaped '+' in a query string) oldest first; anything else 422 <c>form_param_value_invalid</c>.</item>
/// <item><c>starting_after</c>: the users after that id in the filtered, ordered list; an id that is unknown or outside the
/// created_at range gives an empty page (as the sandbox does). Not with a non-zero <c>offset</c> (422, as Clerk).</item>
/// <item><c>limit</c> 1..500 (default 10), <c>offset</c> ≥ 0; a malformed number is a 422 <c>form_param_format_invalid</c>.
/// Other filters are not served (ignored). <c>full</c> (or <c>full</c> at start-up): every property Clerk's User has.</item>
/// </list>
/// Optional limit: N requests per 10 s (sliding window), answered 429 with Retry-After beyond it, as Clerk does.
/// Optional latency (the bench's SYNC_BENCH_LATENCY_MS): each /v1/users and /v1/users/count request waits that long
/// after its rate-limit admission (a 429 is immediate), to imitate a round trip to Clerk.
/// </summary>
public sealed class LeanClerk : IAsyncDisposable
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private const uint Multiplier = 2654435761;
    private const long CreatedBase = 1_700_000_000_000L;
    private const int MaxLimit = 500;
    private const int UsersPerFlush = 64;
    private static readonly uint Inverse = InverseOf(Multiplier);

    private readonly WebApplication _app;
    private readonly int _count;
    private readonly int? _limit;
    private readonly TimeSpan _latency;
    private readonly Queue<long> _window = new();
    private readonly Lock _gate = new();

    private readonly bool _full;

    private LeanClerk(WebApplication app, int count, int? limit, bool full, TimeSpan latency)
    {
        _app = app;
        _count = count;
        _limit = limit;
        _full = full;
        _latency = latency;
    }

    public string ApiUrl { get; private set; } = "";

    public int Requests;

    public int RateLimited;

    /// <param name="full">Every property Clerk's User has (as the sandbox sends it: about 2 KB a user), not only those the bot reads; also per request with full=true.</param>
    /// <param name="latency">How long each /v1/users and /v1/users/count request waits after its admission, before it is answered.</param>
    public static async Task<LeanClerk> StartAsync(int count, int? limitPer10s, bool full = false, TimeSpan latency = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(latency, TimeSpan.Zero);
        // No appsettings watcher: it watched the working folder, and with it every file a run writes there.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"], ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var clerk = new LeanClerk(app, count, limitPer10s, full, latency);
        app.Run(clerk.HandleAsync);
        await app.StartAsync();
        clerk.ApiUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/v1/";
        return clerk;
    }

    public static string Id(int i)
    {
        Span<byte> id = stackalloc byte[IdLength];
        WriteId(id, i);
        return Encoding.ASCII.GetString(id);
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref Requests);
        if (_limit is { } limit && !Admit(limit, out var wait))
        {
            Interlocked.Increment(ref RateLimited);
            context.Response.StatusCode = 429;
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            await context.Response.WriteAsync("""{"errors":[{"message":"too many requests","long_message":"Too many requests","code":"too_many_requests"}]}""");
            return;
        }

        var path = context.Request.Path.Value;
        context.Response.ContentType = "application/json";
        if (path is not ("/v1/users" or "/v1/users/count"))
        {
            context.Response.StatusCode = 404;
            return;
        }

        if (_latency > TimeSpan.Zero)
        {
            await Task.Delay(_latency, context.RequestAborted);
        }

        var q = context.Request.Query;
        if (!TryRange(q, out var lo, out var hi, out var problem))
        {
            await ErrorAsync(context, problem);
            return;
        }

        if (path == "/v1/users/count")
        {
            await context.Response.WriteAsync($$"""{"object":"total_count","total_count":{{hi - lo}}}""");
            return;
        }

        if (!TryPage(q, lo, hi, out var first, out var step, out var take, out problem))
        {
            await ErrorAsync(context, problem);
            return;
        }

        var full = _full || q.ContainsKey("full");
        var body = context.Response.BodyWriter;
        using var json = new Utf8JsonWriter(body);
        json.WriteStartArray();
        for (var k = 0; k < take; k++)
        {
            WriteUser(json, first + (k * step), full);
            if (k % UsersPerFlush == UsersPerFlush - 1)
            {
                json.Flush();
                await body.FlushAsync(context.RequestAborted);
            }
        }

        json.WriteEndArray();
        json.Flush();
        await body.FlushAsync(context.RequestAborted);
    }

    /// <summary>The index interval [lo, hi) of the users whose created_at is strictly inside the query's created_at range.</summary>
    private bool TryRange(IQueryCollection q, out int lo, out int hi, out Problem problem)
    {
        lo = 0;
        hi = _count;
        if (!TryLong(q, "created_at_after", out var after, out problem) || !TryLong(q, "created_at_before", out var before, out problem))
        {
            return false;
        }

        if (after is { } a && a >= CreatedBase)
        {
            lo = (int)Math.Min(a - CreatedBase + 1, _count); // created_at > a ⇔ i > a - base
        }

        if (before is { } b)
        {
            hi = b <= CreatedBase ? 0 : (int)Math.Min(b - CreatedBase, _count); // created_at < b ⇔ i < b - base
        }

        hi = Math.Max(lo, hi);
        return true;
    }

    /// <summary>The page within [lo, hi): its first user's index, +1 (oldest first) or -1 (newest first), and how many.</summary>
    private static bool TryPage(IQueryCollection q, int lo, int hi, out int first, out int step, out int take, out Problem problem)
    {
        first = step = take = 0;
        if (!TryLong(q, "limit", out var limit, out problem) || !TryLong(q, "offset", out var offset, out problem))
        {
            return false;
        }

        if (limit is < 1 or > MaxLimit)
        {
            problem = new("form_param_value_invalid", "is invalid", $"limit must be an integer from 1 to {MaxLimit}.", "limit");
            return false;
        }

        if (offset is < 0)
        {
            problem = new("form_param_value_invalid", "is invalid", "offset must be a non-negative integer.", "offset");
            return false;
        }

        var orderBy = q.TryGetValue("order_by", out var o) ? o[0] : null;
        step = orderBy switch
        {
            null or "-created_at" => -1,
            "created_at" or "+created_at" or " created_at" => 1, // " created_at": a '+' not escaped in the query string
            _ => 0,
        };
        if (step == 0)
        {
            problem = new("form_param_value_invalid", "is invalid", $"order_by '{orderBy}' is not supported here: -created_at (the default), created_at or +created_at.", "order_by");
            return false;
        }

        int available;
        if (q.TryGetValue("starting_after", out var cursor))
        {
            if (offset is not (null or 0))
            {
                problem = new("form_param_value_invalid", "is invalid", "starting_after cannot be combined with a non-zero offset.", "offset");
                return false;
            }

            if (!TryIndex(cursor[0], out var index) || index < lo || index >= hi)
            {
                return true; // unknown, or outside the created_at range: an empty page, as the sandbox answers
            }

            var at = (int)index;
            first = at + step;
            available = step < 0 ? at - lo : hi - 1 - at;
        }
        else
        {
            first = step < 0 ? hi - 1 : lo;
            available = hi - lo;
        }

        var skip = (int)Math.Min(offset ?? 0, available);
        first += skip * step;
        take = (int)Math.Min(limit ?? 10, available - skip);
        return true;
    }

    private static bool TryLong(IQueryCollection q, string name, out long? value, out Problem problem)
    {
        value = null;
        problem = default;
        if (!q.TryGetValue(name, out var text))
        {
            return true;
        }

        if (long.TryParse(text[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
        {
            value = parsed;
            return true;
        }

        problem = new("form_param_format_invalid", "is invalid", $"{name} must be an integer.", name);
        return false;
    }

    private readonly record struct Problem(string Code, string Message, string LongMessage, string Param);

    private static async Task ErrorAsync(HttpContext context, Problem problem)
    {
        context.Response.StatusCode = 422;
        using (var json = new Utf8JsonWriter(context.Response.BodyWriter, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteStartArray("errors");
            json.WriteStartObject();
            json.WriteString("message", problem.Message);
            json.WriteString("long_message", problem.LongMessage);
            json.WriteString("code", problem.Code);
            json.WriteStartObject("meta");
            json.WriteString("param_name", problem.Param);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    private static void WriteUser(Utf8JsonWriter json, int i, bool full)
    {
        var created = CreatedBase + i;
        var second = i % 7 == 0;
        Span<byte> text = stackalloc byte[40];
        json.WriteStartObject();
        WriteId(text, i);
        json.WriteString(Names.Id, text[..IdLength]);
        json.WriteString(Names.Object, Names.User);
        json.WriteString(Names.FirstName, Names.UserFirstName);
        json.WriteString(Names.LastName, Join(text, "N"u8, i, default));
        json.WriteString(Names.PrimaryEmailAddressId, Join(text, "idn_"u8, i, second ? "_1"u8 : "_0"u8));
        json.WriteStartArray(Names.EmailAddresses);
        WriteEmail(json, text, i, "_0"u8, "u"u8, full, created);
        if (second)
        {
            WriteEmail(json, text, i, "_1"u8, "primary"u8, full, created);
        }

        json.WriteEndArray();
        json.WriteBoolean(Names.Banned, false);
        json.WriteBoolean(Names.Locked, false);
        json.WriteBoolean(Names.PasswordEnabled, true);
        json.WriteNumber(Names.LastActiveAt, created);
        json.WriteNumber(Names.CreatedAt, created);
        json.WriteNumber(Names.UpdatedAt, created);
        if (full)
        {
            WriteTheRest(json, created);
        }

        json.WriteEndObject();
    }

    /// <summary>The User properties the bot doesn't read, as the sandbox (SandboxJson.User) sends them.</summary>
    private static void WriteTheRest(Utf8JsonWriter json, long created)
    {
        foreach (var name in Names.Nulls)
        {
            json.WriteNull(name);
        }

        json.WriteString(Names.ImageUrl, Names.ImageUrlValue);
        json.WriteBoolean(Names.HasImage, false);
        foreach (var name in Names.Objects)
        {
            json.WriteStartObject(name);
            json.WriteEndObject();
        }

        foreach (var name in Names.Arrays)
        {
            json.WriteStartArray(name);
            json.WriteEndArray();
        }

        json.WriteBoolean(Names.TwoFactorEnabled, false);
        json.WriteBoolean(Names.TotpEnabled, false);
        json.WriteBoolean(Names.BackupCodeEnabled, false);
        json.WriteNumber(Names.PasswordLastUpdatedAt, created);
        json.WriteNumber(Names.LastSignInAt, created);
        json.WriteNull(Names.LockoutExpiresInSeconds);
        json.WriteNumber(Names.VerificationAttemptsRemaining, 100);
        json.WriteBoolean(Names.DeleteSelfEnabled, true);
        json.WriteBoolean(Names.CreateOrganizationEnabled, true);
    }

    /// <summary>Email address "idn_{i}{suffix}", "{local}{i}@example.com".</summary>
    private static void WriteEmail(Utf8JsonWriter json, Span<byte> text, int i, ReadOnlySpan<byte> suffix, ReadOnlySpan<byte> local, bool full, long created)
    {
        json.WriteStartObject();
        json.WriteString(Names.Id, Join(text, "idn_"u8, i, suffix));
        json.WriteString(Names.Object, Names.EmailAddress);
        json.WriteString(Names.EmailAddress, Join(text, local, i, "@example.com"u8));
        if (full)
        {
            json.WriteBoolean(Names.Reserved, false);
            json.WriteStartObject(Names.Verification);
            json.WriteString(Names.Object, Names.VerificationOtp);
            json.WriteString(Names.Status, Names.Verified);
            json.WriteString(Names.Strategy, Names.EmailCode);
            json.WriteNumber(Names.Attempts, 1);
            json.WriteNumber(Names.ExpireAt, created + 600_000);
            json.WriteEndObject();
            json.WriteStartArray(Names.LinkedTo);
            json.WriteEndArray();
            json.WriteBoolean(Names.MatchesSsoConnection, false);
            json.WriteNumber(Names.CreatedAt, created);
            json.WriteNumber(Names.UpdatedAt, created);
        }

        json.WriteEndObject();
    }

    /// <summary>prefix + decimal i + suffix, in <paramref name="text"/> (40 bytes hold the longest: "primary" + 10 digits + "@example.com").</summary>
    private static ReadOnlySpan<byte> Join(Span<byte> text, ReadOnlySpan<byte> prefix, int i, ReadOnlySpan<byte> suffix)
    {
        prefix.CopyTo(text);
        Utf8Formatter.TryFormat(i, text[prefix.Length..], out var digits);
        var length = prefix.Length + digits;
        suffix.CopyTo(text[length..]);
        return text[..(length + suffix.Length)];
    }

    private const int IdLength = 11; // "user_" + 6 base62 digits (62^6 > 2^32)

    private static void WriteId(Span<byte> id, int i)
    {
        "user_"u8.CopyTo(id);
        var x = (uint)i * Multiplier;
        for (var k = IdLength - 1; k >= 5; k--)
        {
            id[k] = (byte)Base62[(int)(x % 62)];
            x /= 62;
        }
    }

    /// <summary>The index of a LeanClerk id (of any N; the caller checks it is one of these), or false for anything that is not one.</summary>
    private static bool TryIndex(string? id, out uint index)
    {
        index = 0;
        if (id is not { Length: IdLength } || !id.StartsWith("user_", StringComparison.Ordinal))
        {
            return false;
        }

        ulong x = 0;
        foreach (var c in id.AsSpan(5))
        {
            var digit = Base62.IndexOf(c, StringComparison.Ordinal);
            if (digit < 0)
            {
                return false;
            }

            x = (x * 62) + (ulong)digit;
        }

        if (x > uint.MaxValue)
        {
            return false;
        }

        index = (uint)x * Inverse;
        return true;
    }

    /// <summary>Property names and constant values, encoded once.</summary>
    private static class Names
    {
        public static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
        public static readonly JsonEncodedText Object = JsonEncodedText.Encode("object");
        public static readonly JsonEncodedText User = JsonEncodedText.Encode("user");
        public static readonly JsonEncodedText FirstName = JsonEncodedText.Encode("first_name");
        public static readonly JsonEncodedText UserFirstName = JsonEncodedText.Encode("User");
        public static readonly JsonEncodedText LastName = JsonEncodedText.Encode("last_name");
        public static readonly JsonEncodedText PrimaryEmailAddressId = JsonEncodedText.Encode("primary_email_address_id");
        public static readonly JsonEncodedText EmailAddresses = JsonEncodedText.Encode("email_addresses");
        public static readonly JsonEncodedText Banned = JsonEncodedText.Encode("banned");
        public static readonly JsonEncodedText Locked = JsonEncodedText.Encode("locked");
        public static readonly JsonEncodedText PasswordEnabled = JsonEncodedText.Encode("password_enabled");
        public static readonly JsonEncodedText LastActiveAt = JsonEncodedText.Encode("last_active_at");
        public static readonly JsonEncodedText CreatedAt = JsonEncodedText.Encode("created_at");
        public static readonly JsonEncodedText UpdatedAt = JsonEncodedText.Encode("updated_at");

        public static readonly JsonEncodedText EmailAddress = JsonEncodedText.Encode("email_address");
        public static readonly JsonEncodedText Reserved = JsonEncodedText.Encode("reserved");
        public static readonly JsonEncodedText Verification = JsonEncodedText.Encode("verification");
        public static readonly JsonEncodedText VerificationOtp = JsonEncodedText.Encode("verification_otp");
        public static readonly JsonEncodedText Status = JsonEncodedText.Encode("status");
        public static readonly JsonEncodedText Verified = JsonEncodedText.Encode("verified");
        public static readonly JsonEncodedText Strategy = JsonEncodedText.Encode("strategy");
        public static readonly JsonEncodedText EmailCode = JsonEncodedText.Encode("email_code");
        public static readonly JsonEncodedText Attempts = JsonEncodedText.Encode("attempts");
        public static readonly JsonEncodedText ExpireAt = JsonEncodedText.Encode("expire_at");
        public static readonly JsonEncodedText LinkedTo = JsonEncodedText.Encode("linked_to");
        public static readonly JsonEncodedText MatchesSsoConnection = JsonEncodedText.Encode("matches_sso_connection");

        public static readonly JsonEncodedText[] Nulls = Encode("external_id", "primary_phone_number_id", "primary_web3_wallet_id", "username", "locale", "mfa_enabled_at", "mfa_disabled_at", "legal_accepted_at");
        public static readonly JsonEncodedText ImageUrl = JsonEncodedText.Encode("image_url");
        public static readonly JsonEncodedText ImageUrlValue = JsonEncodedText.Encode("https://img.clerk.com/eyJ0eXBlIjoiZGVmYXVsdCIsImlpZCI6Imluc18yOWR1dTdiVXpSV0VtM0Y1Z2t3a1Z5V2UxeXQifQ");
        public static readonly JsonEncodedText HasImage = JsonEncodedText.Encode("has_image");
        public static readonly JsonEncodedText[] Objects = Encode("public_metadata", "private_metadata", "unsafe_metadata");
        public static readonly JsonEncodedText[] Arrays = Encode("phone_numbers", "web3_wallets", "passkeys", "external_accounts", "saml_accounts", "enterprise_accounts");
        public static readonly JsonEncodedText TwoFactorEnabled = JsonEncodedText.Encode("two_factor_enabled");
        public static readonly JsonEncodedText TotpEnabled = JsonEncodedText.Encode("totp_enabled");
        public static readonly JsonEncodedText BackupCodeEnabled = JsonEncodedText.Encode("backup_code_enabled");
        public static readonly JsonEncodedText PasswordLastUpdatedAt = JsonEncodedText.Encode("password_last_updated_at");
        public static readonly JsonEncodedText LastSignInAt = JsonEncodedText.Encode("last_sign_in_at");
        public static readonly JsonEncodedText LockoutExpiresInSeconds = JsonEncodedText.Encode("lockout_expires_in_seconds");
        public static readonly JsonEncodedText VerificationAttemptsRemaining = JsonEncodedText.Encode("verification_attempts_remaining");
        public static readonly JsonEncodedText DeleteSelfEnabled = JsonEncodedText.Encode("delete_self_enabled");
        public static readonly JsonEncodedText CreateOrganizationEnabled = JsonEncodedText.Encode("create_organization_enabled");

        private static JsonEncodedText[] Encode(params string[] names) => Array.ConvertAll(names, n => JsonEncodedText.Encode(n));
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
