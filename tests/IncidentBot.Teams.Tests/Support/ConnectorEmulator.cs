using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Teams.Tests.Support;

/// <summary>One Connector call the emulator received, as the swagger names it, with its decoded path parameters.</summary>
public sealed record ConnectorCall(string OperationId, string Method, string RawPath, IReadOnlyDictionary<string, string> Parameters, string? Token, JsonObject? Body)
{
    public string? ConversationId => Parameters.GetValueOrDefault("conversationId");

    public string? ActivityId => Parameters.GetValueOrDefault("activityId");

    /// <summary>A query string parameter, decoded.</summary>
    public string? Query(string name) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(RawPath.Contains('?', StringComparison.Ordinal) ? RawPath[RawPath.IndexOf('?', StringComparison.Ordinal)..] : "").TryGetValue(name, out var v) ? v.ToString() : null;

    /// <summary>The Adaptive Card the body carries, if any.</summary>
    public JsonObject? Card => (Body?["attachments"]?[0]?["content"] ?? Body?["activity"]?["attachments"]?[0]?["content"]) as JsonObject;

    /// <summary>Everything the message says, for Contains checks (card JSON or text).</summary>
    public string Said => Body?.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) ?? "";

    /// <summary>The id the emulator gave the new message (sends, replies, created threads).</summary>
    public string? NewId { get; set; }
}

/// <summary>
/// A Bot Connector (and the Entra token endpoint) on 127.0.0.1. Each call is matched to its Connector API swagger
/// operation (verb, path with percent-encoded segments), its Bearer token must be one the token endpoint issued, and
/// its body must follow the swagger definition; anything wrong is a violation (tests assert there are none) and
/// answered 400. Service URLs may carry a path (/amer/&lt;tenant&gt;/) as Teams' do. It also takes hook calls (/hooks/...).
/// </summary>
public sealed class ConnectorEmulator : IAsyncDisposable
{
    public const string HooksPath = "/hooks/";

    private readonly WebApplication _app;
    private readonly ConnectorSpec _spec = ConnectorSpec.Load();
    private readonly ConcurrentQueue<ConnectorCall> _calls = new();
    private readonly ConcurrentQueue<string> _violations = new();
    private readonly ConcurrentQueue<string> _issued = new();
    private readonly ConcurrentQueue<JsonObject> _tokenRequests = new();
    private readonly ConcurrentDictionary<string, Queue<(int Status, string? RetryAfter)>> _failures = new(StringComparer.Ordinal);
    private readonly List<(Func<bool> Condition, TaskCompletionSource Done)> _waiters = [];
    private readonly Lock _gate = new();
    private long _nextId = 1764300000000;

    private ConnectorEmulator(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    /// <summary>A service URL as Teams sends them now: region and tenant in the path.</summary>
    public string ServiceUrl => $"{BaseUrl}/amer/{Some.TenantId}/";

    public string TokenUrl => BaseUrl + "/{TenantId}/oauth2/v2.0/token";

    public IReadOnlyList<ConnectorCall> Calls => _calls.ToList();

    public IReadOnlyList<string> Violations => _violations.ToList();

    public IReadOnlyList<JsonObject> TokenRequests => _tokenRequests.ToList();

    public IReadOnlyList<string> IssuedTokens => _issued.ToList();

    public ConcurrentQueue<string> Hooks { get; } = new();

    /// <summary>Who GET pagedmembers names (ChannelAccounts), one per page, so a client must follow the continuation token.</summary>
    public ConcurrentQueue<JsonObject> Members { get; } = new();

    public IEnumerable<ConnectorCall> CallsTo(string operationId) => Calls.Where(c => c.OperationId == operationId);

    public static async Task<ConnectorEmulator> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var emulator = new ConnectorEmulator(app);
        app.MapPost("/{tenant}/oauth2/v2.0/token", emulator.TokenAsync);
        app.MapPost(HooksPath + "{name}", (string name) =>
        {
            emulator.Hooks.Enqueue(name);
            emulator.Signal();
            return Results.Ok();
        });
        app.Map("/{**path}", (Delegate)emulator.ConnectorAsync);
        await app.StartAsync();
        emulator.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return emulator;
    }

    /// <summary>The next calls to <paramref name="operationId"/> fail with these statuses (and Retry-After seconds, when given), in order.</summary>
    public void FailNext(string operationId, params (int Status, string? RetryAfter)[] failures) =>
        _failures[operationId] = new Queue<(int, string?)>(failures);

    /// <summary>Completes when <paramref name="condition"/> holds (checked after every call); the timeout only guards against a hang.</summary>
    public async Task WhenAsync(Func<ConnectorEmulator, bool> condition, string what)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _waiters.Add((() => condition(this), done));
        }

        Signal();
        try
        {
            await done.Task.WaitAsync(TimeSpan.FromSeconds(20));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Gave up waiting for: {what}. Calls: {string.Join(", ", Calls.Select(c => c.OperationId))}. Violations: {string.Join("; ", Violations)}");
        }
    }

    public async Task<ConnectorCall> WhenCalledAsync(string operationId, int count = 1)
    {
        await WhenAsync(e => e.CallsTo(operationId).Count() >= count, $"{count} call(s) to {operationId}");
        return CallsTo(operationId).ElementAt(count - 1);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<IResult> TokenAsync(HttpContext http, string tenant)
    {
        var form = await http.Request.ReadFormAsync();
        var request = new JsonObject { ["tenant"] = tenant };
        foreach (var (key, value) in form)
        {
            request[key] = value.ToString();
        }

        _tokenRequests.Enqueue(request);
        if (tenant != Some.TenantId || form["grant_type"] != "client_credentials" || form["client_id"] != Some.AppId
            || form["client_secret"] != Some.AppPassword || form["scope"] != "https://api.botframework.com/.default")
        {
            _violations.Enqueue($"token request refused: tenant {tenant}, grant {form["grant_type"]}, client {form["client_id"]}, scope {form["scope"]}");
            return Results.Json(new { error = "invalid_client", error_description = "AADSTS7000215: Invalid client secret provided." }, statusCode: 401);
        }

        var token = $"connector-token-{_tokenRequests.Count}";
        _issued.Enqueue(token);
        return Results.Json(new { token_type = "Bearer", expires_in = 3600, ext_expires_in = 3600, access_token = token });
    }

    private async Task<IResult> ConnectorAsync(HttpContext http)
    {
        var raw = http.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var path = raw.Split('?', 2)[0];
        var v3 = path.IndexOf("/v3/", StringComparison.Ordinal);
        var match = v3 < 0 ? null : _spec.Match(http.Request.Method, path[v3..]);
        if (match is null)
        {
            return Violation($"{http.Request.Method} {raw} is not a Connector API operation");
        }

        var (operation, parameters) = match.Value;
        var auth = http.Request.Headers.Authorization.ToString();
        var token = auth.StartsWith("Bearer ", StringComparison.Ordinal) ? auth["Bearer ".Length..] : null;
        JsonObject? body = null;
        if (operation.BodyDefinition is { } definition)
        {
            try
            {
                body = await JsonNode.ParseAsync(http.Request.Body) as JsonObject;
            }
            catch (System.Text.Json.JsonException)
            {
                body = null;
            }

            if (body is null)
            {
                return Violation($"{operation.OperationId}: the body is not a JSON object");
            }

            foreach (var problem in _spec.Check(definition, body))
            {
                _violations.Enqueue($"{operation.OperationId}: {problem}");
            }
        }

        foreach (var (name, value) in parameters)
        {
            var segment = path[v3..].Split('/').FirstOrDefault(s => Uri.UnescapeDataString(s) == value && s != value);
            if (value.IndexOfAny([':', ';', '@']) >= 0 && segment is null)
            {
                _violations.Enqueue($"{operation.OperationId}: path parameter {name} '{value}' is not percent-encoded in {raw}");
            }
        }

        var call = new ConnectorCall(operation.OperationId, operation.Method, raw, parameters, token, body);
        if (token is null || !_issued.Contains(token))
        {
            _violations.Enqueue($"{operation.OperationId}: Bearer token '{token}' was not issued by the token endpoint");
            Record(call);
            return Results.Json(new { error = new { code = "Unauthorized", message = "Authorization has been denied for this request." } }, statusCode: 401);
        }

        if (_failures.TryGetValue(operation.OperationId, out var failures) && failures.TryDequeue(out var failure))
        {
            Record(call);
            if (failure.RetryAfter is { } after)
            {
                http.Response.Headers.RetryAfter = after;
            }

            return Results.Json(new { error = new { code = "Throttled", message = $"HTTP {failure.Status} from the emulator" } }, statusCode: failure.Status);
        }

        var answer = Answer(operation.OperationId, parameters, body, call);
        Record(call);
        return Results.Json(answer, statusCode: operation.OperationId == "Conversations_CreateConversation" ? 201 : 200);
    }

    private JsonObject Answer(string operationId, Dictionary<string, string> parameters, JsonObject? body, ConnectorCall call)
    {
        switch (operationId)
        {
            case "Conversations_CreateConversation":
                var channel = (string?)body?["channelData"]?["channel"]?["id"];
                if (channel is not null)
                {
                    var root = NextId();
                    call.NewId = root;
                    return new JsonObject { ["id"] = $"{channel};messageid={root}", ["activityId"] = root };
                }

                var member = (string?)body?["members"]?[0]?["id"] ?? "nobody";
                return new JsonObject { ["id"] = "a:dm-" + member.Replace("29:", "", StringComparison.Ordinal) };
            case "Conversations_UpdateActivity":
                return new JsonObject { ["id"] = parameters["activityId"] };
            case "Conversations_GetConversationPagedMembers":
                var at = int.TryParse(call.Query("continuationToken"), out var n) ? n : 0;
                var members = Members.ToList();
                var page = new JsonObject { ["members"] = new JsonArray(members.Skip(at).Take(1).Select(m => (JsonNode)m.DeepClone()).ToArray()) };
                if (at + 1 < members.Count)
                {
                    page["continuationToken"] = (at + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                return page;
            default:
                call.NewId = NextId();
                return new JsonObject { ["id"] = call.NewId };
        }
    }

    private string NextId() => Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private IResult Violation(string problem)
    {
        _violations.Enqueue(problem);
        Signal();
        return Results.Json(new { error = new { code = "BadArgument", message = problem } }, statusCode: 400);
    }

    private void Record(ConnectorCall call)
    {
        _calls.Enqueue(call);
        Signal();
    }

    private void Signal()
    {
        lock (_gate)
        {
            foreach (var waiter in _waiters.Where(w => w.Condition()).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Done.TrySetResult();
            }
        }
    }
}
