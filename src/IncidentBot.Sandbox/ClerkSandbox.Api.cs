using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace IncidentBot.Sandbox;

/// <summary>The Backend API (spec: openapi-specs/bapi/2026-05-12.yml), for every endpoint the bot uses.</summary>
public sealed partial class ClerkSandbox
{
    public const int MaxLimit = 500;

    private async Task ApiAsync(HttpContext context, SandboxRequest seen)
    {
        var request = context.Request;
        var path = seen.Path;
        var body = seen.Body;
        if (Inspect is { } inspect)
        {
            foreach (var problem in inspect(seen))
            {
                Violations.Enqueue(problem);
            }
        }

        var authorization = request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            await ErrorAsync(context, 401, "authorization_header_format_invalid", "Invalid Authorization header format", "Must be 'Bearer <YOUR_API_KEY>'");
            return;
        }

        if (authorization != "Bearer " + Options.SecretKey)
        {
            await ErrorAsync(context, 401, "clerk_key_invalid", "Secret Key is invalid", "The provided Clerk Secret Key is invalid. Make sure that your Clerk Secret Key is correct.");
            return;
        }

        if (await ScriptedAsync(context, path))
        {
            return;
        }

        if (Faults.SlowBy is { } slow)
        {
            await Wait(slow, context.RequestAborted);
        }

        if (Faults.AuthOutageActive)
        {
            // A 503 from Clerk's edge: Retry-After is longer than a drill's retry budget, so the bot reports it at once.
            context.Response.Headers.RetryAfter = "30";
            await ErrorAsync(context, 503, "service_unavailable", "Service unavailable", "The Clerk Backend API is temporarily unavailable. Please try again later.");
            return;
        }

        if (!path.EndsWith("/jwks", StringComparison.Ordinal) && RateLimitWait() is { } wait)
        {
            Interlocked.Increment(ref _rateLimited);
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            await ErrorAsync(context, 429, "too_many_requests", "Too many requests", "Too many requests, retry later");
            return;
        }

        await RouteAsync(context, request.Method, path["/v1".Length..], body);
    }

    /// <summary>A sliding window of <see cref="RateLimit"/> requests per <see cref="RateWindow"/>; null when the request may pass.</summary>
    private TimeSpan? RateLimitWait()
    {
        if (RateLimit is not { } limit)
        {
            return null;
        }

        var now = Time.GetUtcNow();
        lock (_gate)
        {
            while (_window.Count > 0 && _window.Peek() <= now - RateWindow)
            {
                _window.Dequeue();
            }

            if (_window.Count >= limit)
            {
                return _window.Peek() + RateWindow - now;
            }

            _window.Enqueue(now);
            return null;
        }
    }

    private async Task RouteAsync(HttpContext context, string method, string path, string body)
    {
        var q = context.Request.Query;
        Match m;
        switch (method)
        {
            case "GET" when path == "/users":
                await ListUsersAsync(context, q);
                return;
            case "GET" when path == "/users/count":
            {
                if (!CreatedRange(q, out var problem))
                {
                    await ErrorAsync(context, 422, "form_param_value_invalid", "is invalid", problem);
                    return;
                }

                int count;
                lock (_gate)
                {
                    count = FilterUsers(q).Count;
                }

                await JsonAsync(context, new JsonObject { ["object"] = "total_count", ["total_count"] = count });
                return;
            }

            case "GET" when (m = UserPath().Match(path)).Success:
                await UserAsync(context, m.Groups[1].Value, _ => { });
                return;
            case "POST" when (m = UserVerbPath().Match(path)).Success:
                await UserAsync(context, m.Groups[1].Value, u => Apply(u, m.Groups[2].Value));
                return;
            case "POST" when (m = CompromisedPath().Match(path)).Success:
            {
                bool revoke;
                try
                {
                    revoke = body.Length > 0 && JsonNode.Parse(body)?["revoke_all_sessions"]?.GetValue<bool>() == true;
                }
                catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
                {
                    await ErrorAsync(context, 400, "malformed_request", "Malformed request", "The request body is not valid JSON.");
                    return;
                }

                await UserAsync(context, m.Groups[1].Value, u =>
                {
                    u.PasswordCompromised = true;
                    if (revoke)
                    {
                        EndSessions(u.Id, "revoked");
                    }
                });
                return;
            }

            case "POST" when path is "/users/ban" or "/users/unban":
                await BulkAsync(context, path[7..], body);
                return;
            case "GET" when path == "/sessions":
                await ListSessionsAsync(context, q);
                return;
            case "POST" when (m = RevokePath().Match(path)).Success:
            {
                JsonObject? json = null;
                lock (_gate)
                {
                    if (_sessions.TryGetValue(m.Groups[1].Value, out var session))
                    {
                        session.Status = "revoked";
                        session.UpdatedAt = Now;
                        json = SandboxJson.Session(session);
                    }
                }

                await (json is null
                    ? ErrorAsync(context, 404, "resource_not_found", "not found", $"No session was found with id {m.Groups[1].Value}")
                    : JsonAsync(context, json));
                return;
            }

            case "GET" when path == "/instance":
                await JsonAsync(context, new JsonObject
                {
                    ["object"] = "instance",
                    ["id"] = "ins_2drillsandbox000000000000",
                    ["environment_type"] = Options.EnvironmentType,
                    ["allowed_origins"] = new JsonArray("http://127.0.0.1"),
                    ["workspace_id"] = null,
                });
                return;
            case "GET" when path == "/jwks":
                await JsonAsync(context, SandboxJson.Jwks());
                return;
            case "POST" when path == "/webhooks/svix_url":
            {
                // The link is a credential (whoever holds it is signed in to the webhook dashboard): tests check it is never shown or logged.
                var link = $"{BaseUrl}/app/svix-dashboard#key=svixtoken{Guid.NewGuid():N}";
                DashboardLinks.Enqueue(link);
                await JsonAsync(context, new JsonObject { ["svix_url"] = link });
                return;
            }

            default:
                await ErrorAsync(context, 404, "resource_not_found", "not found", $"The sandbox does not serve {method} /v1{path}");
                return;
        }
    }

    private async Task ListUsersAsync(HttpContext context, IQueryCollection q)
    {
        if (!Paging(q, out var limit, out var offset, out var problem) || !CreatedRange(q, out problem))
        {
            await ErrorAsync(context, 422, "form_param_value_invalid", "is invalid", problem);
            return;
        }

        var orderBy = q.TryGetValue("order_by", out var o) ? o.First() ?? "-created_at" : "-created_at";
        var descending = orderBy.StartsWith('-');
        var field = orderBy.TrimStart('-', '+', ' ');
        Func<SandboxUser, IComparable?>? key = field switch
        {
            "created_at" => u => u.CreatedAt,
            "updated_at" => u => u.UpdatedAt,
            "email_address" => u => u.PrimaryEmail,
            "first_name" => u => u.FirstName,
            "last_name" => u => u.LastName,
            "last_active_at" => u => u.LastActiveAt,
            "last_sign_in_at" => u => u.LastSignInAt,
            _ => null,
        };
        if (key is null)
        {
            await ErrorAsync(context, 422, "form_param_value_invalid", "is invalid", $"order_by '{orderBy}' is not supported.");
            return;
        }

        var cursor = q.TryGetValue("starting_after", out var after) ? after.First() : null;
        if (cursor is not null && field != "created_at")
        {
            await ErrorAsync(context, 422, "form_param_value_invalid", "is invalid", "starting_after requires ordering by created_at.");
            return;
        }

        if (cursor is not null && offset != 0)
        {
            await ErrorAsync(context, 422, "form_param_value_invalid", "is invalid", "starting_after cannot be combined with a non-zero offset.");
            return;
        }

        JsonArray page;
        lock (_gate)
        {
            var users = FilterUsers(q);
            users = (descending ? users.OrderByDescending(key) : users.OrderBy(key)).ThenBy(u => u.Id, StringComparer.Ordinal).ToList();
            if (cursor is not null)
            {
                var at = users.FindIndex(u => u.Id == cursor);
                if (at < 0)
                {
                    page = [];
                    goto answer;
                }

                users = users.Skip(at + 1).ToList();
            }

            page = new JsonArray(users.Skip(offset).Take(limit).Select(u => (JsonNode)SandboxJson.User(u)).ToArray());
        }

    answer:
        await JsonAsync(context, page);
    }

    private async Task ListSessionsAsync(HttpContext context, IQueryCollection q)
    {
        if (!Paging(q, out var limit, out var offset, out var problem))
        {
            await ErrorAsync(context, 422, "form_param_value_invalid", "is invalid", problem);
            return;
        }

        if (!q.ContainsKey("user_id") && !q.ContainsKey("client_id"))
        {
            await ErrorAsync(context, 422, "form_param_missing", "is missing", "At least one of client_id or user_id must be provided.");
            return;
        }

        JsonArray page;
        int total;
        lock (_gate)
        {
            var matching = _sessions.Values
                .Where(s => (!q.ContainsKey("user_id") || s.UserId == q["user_id"]) && (!q.ContainsKey("client_id") || s.ClientId == q["client_id"]))
                .Where(s => !q.ContainsKey("status") || s.Status == q["status"])
                .OrderByDescending(s => s.CreatedAt)
                .ToList();
            total = matching.Count;
            page = new JsonArray(matching.Skip(offset).Take(limit).Select(s => (JsonNode)SandboxJson.Session(s)).ToArray());
        }

        // paginated=true: {data, total_count}, as Clerk's SDKs read it; otherwise the bare array the spec declares.
        await JsonAsync(context, q["paginated"] == "true" ? new JsonObject { ["data"] = page, ["total_count"] = total } : page);
    }

    private static bool Paging(IQueryCollection q, out int limit, out int offset, out string problem)
    {
        limit = 10;
        offset = 0;
        problem = "";
        if (q.TryGetValue("limit", out var l) && (!int.TryParse(l, out limit) || limit is < 1 or > MaxLimit))
        {
            problem = $"limit must be an integer from 1 to {MaxLimit}.";
            return false;
        }

        if (q.TryGetValue("offset", out var o) && (!int.TryParse(o, out offset) || offset < 0))
        {
            problem = "offset must be a non-negative integer.";
            return false;
        }

        return true;
    }

    /// <summary>created_at_after / created_at_before are integers (Unix milliseconds); strict bounds unless SandboxOptions.CreatedAtBoundsInclusive.</summary>
    private static bool CreatedRange(IQueryCollection q, out string problem)
    {
        foreach (var name in (string[])["created_at_after", "created_at_before"])
        {
            if (q.TryGetValue(name, out var v) && !long.TryParse(v, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out _))
            {
                problem = $"{name} must be an integer (Unix milliseconds).";
                return false;
            }
        }

        problem = "";
        return true;
    }

    private static long? Millis(IQueryCollection q, string name) =>
        q.TryGetValue(name, out var v) ? long.Parse(v!, System.Globalization.CultureInfo.InvariantCulture) : null;

    private List<SandboxUser> FilterUsers(IQueryCollection q)
    {
        var after = Millis(q, "created_at_after");
        var before = Millis(q, "created_at_before");
        return _users.Values
            .Where(u => Options.CreatedAtBoundsInclusive
                ? (after is null || u.CreatedAt >= after) && (before is null || u.CreatedAt <= before)
                : (after is null || u.CreatedAt > after) && (before is null || u.CreatedAt < before))
            .Where(u => !q.ContainsKey("user_id") || q["user_id"].Contains(u.Id))
            .Where(u => !q.ContainsKey("email_address") || u.Emails.Any(e => q["email_address"].Any(x => string.Equals(x, e.Address, StringComparison.OrdinalIgnoreCase))))
            .Where(u => !q.ContainsKey("banned") || u.Banned == (q["banned"] == "true"))
            .ToList();
    }

    private async Task BulkAsync(HttpContext context, string verb, string body)
    {
        List<string> ids;
        try
        {
            ids = JsonNode.Parse(body)!["user_ids"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or NullReferenceException)
        {
            await ErrorAsync(context, 400, "malformed_request", "Malformed request", "Send {\"user_ids\": [...]}.");
            return;
        }

        if (ids.Count is < 1 or > 50)
        {
            await ErrorAsync(context, 422, "form_param_value_invalid", "is invalid", "user_ids takes 1 to 50 ids.");
            return;
        }

        var changed = new JsonArray();
        lock (_gate)
        {
            foreach (var id in ids.Where(_users.ContainsKey))
            {
                Apply(_users[id], verb);
                changed.Add(SandboxJson.User(_users[id]));
            }
        }

        await JsonAsync(context, changed);
    }

    private async Task UserAsync(HttpContext context, string id, Action<SandboxUser> change)
    {
        JsonObject? json = null;
        SandboxUser? user;
        lock (_gate)
        {
            if (_users.TryGetValue(id, out user))
            {
                change(user);
                json = SandboxJson.User(user);
            }
        }

        await (json is null ? ErrorAsync(context, 404, "resource_not_found", "not found", $"No user was found with id {id}") : JsonAsync(context, json));
    }

    /// <summary>Called under the lock. A change to a user is delivered to the app as a user.updated webhook.</summary>
    private void Apply(SandboxUser user, string verb)
    {
        switch (verb)
        {
            case "ban":
                user.Banned = true;
                EndSessions(user.Id, "revoked"); // Clerk's ban ends every session of the user.
                break;
            case "unban":
                user.Banned = false;
                break;
            case "lock":
                user.Locked = true;
                break;
            case "unlock":
                user.Locked = false;
                break;
        }

        user.UpdatedAt = Now;
        App.Deliver(user);
    }

    private void EndSessions(string userId, string status)
    {
        foreach (var session in _sessions.Values.Where(s => s.UserId == userId && s.Status == "active"))
        {
            session.Status = status;
            session.UpdatedAt = Now;
        }
    }

    [GeneratedRegex("^/users/(user_[^/]+)$")]
    private static partial Regex UserPath();

    [GeneratedRegex("^/users/(user_[^/]+)/(ban|unban|lock|unlock)$")]
    private static partial Regex UserVerbPath();

    [GeneratedRegex("^/users/(user_[^/]+)/password/set_compromised$")]
    private static partial Regex CompromisedPath();

    [GeneratedRegex("^/sessions/(sess_[^/]+)/revoke$")]
    private static partial Regex RevokePath();
}
