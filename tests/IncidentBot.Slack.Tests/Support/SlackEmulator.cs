using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Slack.Tests.Support;

/// <summary>One call the emulator received: the method, how it was sent, and its arguments (JSON values or form strings).</summary>
public sealed record SlackCall(string Method, string HttpMethod, string? ContentType, string? Token, JsonObject Args)
{
    private static readonly System.Text.Json.JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>An argument as text: strings as they are, arrays and objects as readable JSON.</summary>
    public string? Arg(string name) => Args[name] is JsonValue v ? v.ToString() : Args[name]?.ToJsonString(Readable);

    /// <summary>What the emulator answered by default (null when a behaviour answered).</summary>
    public JsonObject? Answer { get; set; }
}

/// <summary>
/// A Slack Web API on 127.0.0.1. Each call is checked against slack-api-ref (verb, body format, required arguments)
/// and its token; anything wrong is a violation (tests assert there are none) answered ok:false. Answers are
/// Slack-shaped; a test can make a method refuse, rate-limit once, or hang until released. It also takes file
/// uploads, response_url posts (/hooks/...) and Socket Mode WebSockets (/socket).
/// </summary>
public sealed class SlackEmulator : IAsyncDisposable
{
    public const string BotToken = "xoxb-test-token";
    public const string AppToken = "xapp-test-token";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<SlackCall> _calls = new();
    private readonly ConcurrentQueue<string> _violations = new();
    private readonly ConcurrentDictionary<string, Func<SlackCall, Task<IResult?>>> _behaviours = new();
    private readonly List<(Func<bool> Condition, TaskCompletionSource Done)> _waiters = [];
    private readonly Lock _gate = new();
    private readonly Channel<SocketPeer> _sockets = Channel.CreateUnbounded<SocketPeer>();
    private readonly ConcurrentDictionary<string, string> _directChannels = new(StringComparer.Ordinal);
    private int _counter;

    private SlackEmulator(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    public string ApiUrl => BaseUrl + "/api/";

    public IReadOnlyList<SlackCall> Calls => _calls.ToList();

    public IReadOnlyList<string> Violations => _violations.ToList();

    public ConcurrentQueue<(string Path, JsonObject Body)> Responses { get; } = new();

    public ConcurrentQueue<(string FileId, byte[] Content)> Uploads { get; } = new();

    public IEnumerable<SlackCall> CallsTo(string method) => Calls.Where(c => c.Method == method);

    public static async Task<SlackEmulator> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var emulator = new SlackEmulator(app);
        app.UseWebSockets();
        app.Map("/api/{method}", (HttpContext http, string method) => emulator.ApiAsync(http, method));
        app.MapPost("/upload/{fileId}", async (HttpContext http, string fileId) =>
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body);
            emulator.Uploads.Enqueue((fileId, body.ToArray()));
            emulator.Signal();
            return Results.Text("OK - " + body.Length);
        });
        app.MapPost("/hooks/{**path}", async (HttpContext http, string path) =>
        {
            var json = await JsonNode.ParseAsync(http.Request.Body) as JsonObject ?? [];
            emulator.Responses.Enqueue((path, json));
            emulator.Signal();
            return Results.Text("ok");
        });
        app.Map("/socket", emulator.SocketAsync);
        await app.StartAsync();
        emulator.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return emulator;
    }

    /// <summary>Answers <paramref name="method"/> with <paramref name="behaviour"/> (null from it: the default answer).</summary>
    public void On(string method, Func<SlackCall, Task<IResult?>> behaviour) => _behaviours[method] = behaviour;

    public void Refuse(string method, string error) => On(method, _ => Task.FromResult<IResult?>(Results.Json(new { ok = false, error })));

    /// <summary>The next call gets HTTP 429 with Retry-After; later calls the default answer.</summary>
    public void RateLimitOnce(string method, int retryAfterSeconds)
    {
        var limited = 0;
        On(method, _ =>
        {
            if (Interlocked.Exchange(ref limited, 1) == 1)
            {
                return Task.FromResult<IResult?>(null);
            }

            return Task.FromResult<IResult?>(new RateLimited(retryAfterSeconds));
        });
    }

    /// <summary>Completes when <paramref name="condition"/> holds (checked after every call); the timeout is only a failure guard.</summary>
    public async Task WhenAsync(Func<SlackEmulator, bool> condition, string what)
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
            throw new TimeoutException($"Gave up waiting for: {what}. Calls: {string.Join(", ", Calls.Select(c => c.Method))}. Violations: {string.Join("; ", Violations)}");
        }
    }

    /// <summary>The <paramref name="count"/>th call to <paramref name="method"/>, once it has come; a timeout fails with what did come.</summary>
    public async Task<SlackCall> WhenCalledAsync(string method, int count = 1)
    {
        await WhenAsync(e => e.CallsTo(method).Count() >= count, $"{count} call(s) to {method}");
        return CallsTo(method).ElementAt(count - 1);
    }

    /// <summary>The next Socket Mode connection the bot opens.</summary>
    public async Task<SocketPeer> AcceptSocketAsync() => await _sockets.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(20));

    public async ValueTask DisposeAsync()
    {
        foreach (var peer in _peers)
        {
            peer.Drop();
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
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

    private async Task<IResult> ApiAsync(HttpContext http, string method)
    {
        var request = http.Request;
        var token = request.Headers.Authorization.FirstOrDefault() is { } auth && auth.StartsWith("Bearer ", StringComparison.Ordinal) ? auth[7..] : null;
        var args = new JsonObject();
        var problems = new List<string>();
        var media = request.ContentType?.Split(';')[0].Trim();
        if (request.Method == "GET")
        {
            foreach (var (key, value) in request.Query)
            {
                args[key] = value.ToString();
            }
        }
        else
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            if (media == "application/json")
            {
                args = JsonNode.Parse(body) as JsonObject ?? [];
                if (request.ContentType?.Contains("charset=utf-8", StringComparison.OrdinalIgnoreCase) != true)
                {
                    problems.Add("JSON body without charset=utf-8 (missing_charset)");
                }
            }
            else if (media == "application/x-www-form-urlencoded")
            {
                foreach (var (key, value) in QueryHelpers.ParseQuery(body))
                {
                    args[key] = value.ToString();
                }

                if (request.ContentType!.Contains("charset", StringComparison.OrdinalIgnoreCase))
                {
                    problems.Add("form body with a charset (superfluous_charset)");
                }
            }
            else
            {
                problems.Add($"content type '{request.ContentType}' is neither form nor JSON");
            }
        }

        token ??= (string?)args["token"];
        var call = new SlackCall(method, request.Method, request.ContentType, token, args);
        if (!SlackMethodSpecs.All.TryGetValue(method, out var spec))
        {
            problems.Add($"{method} is not in slack-api-ref");
        }
        else
        {
            if (request.Method == "GET" && spec.HttpMethod != "GET")
            {
                problems.Add($"{method} is POST only");
            }

            if (media == "application/json" && !spec.JsonInput)
            {
                problems.Add($"{method} does not accept a JSON body");
            }

            if (request.Query.ContainsKey("token"))
            {
                problems.Add("token in the query string");
            }

            var missing = spec.Required.Where(a => args[a] is null || (args[a] is JsonValue v && v.ToString().Length == 0)).ToList();
            if (missing.Count > 0)
            {
                problems.Add($"{method} without required {string.Join(", ", missing)}");
            }
        }

        var expectedToken = method == "apps.connections.open" ? AppToken : BotToken;
        if (token != expectedToken)
        {
            problems.Add($"{method} with the wrong token");
        }

        IResult result;
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                _violations.Enqueue(problem);
            }

            result = Results.Json(new { ok = false, error = "emulator_violation", detail = string.Join("; ", problems) });
        }
        else
        {
            result = (_behaviours.TryGetValue(method, out var behaviour) ? await behaviour(call) : null) ?? Answer(call);
        }

        _calls.Enqueue(call);
        Signal();
        return result;
    }

    private IResult Answer(SlackCall call)
    {
        call.Answer = Default(call);
        return Results.Content(call.Answer.ToJsonString(), "application/json");
    }

    private JsonObject Default(SlackCall call)
    {
        var n = Interlocked.Increment(ref _counter);
        var ts = $"1764299{n:D3}.{n:D6}";
        return call.Method switch
        {
            "auth.test" => new JsonObject { ["ok"] = true, ["user_id"] = "UBOT", ["bot_id"] = "BBOT", ["team_id"] = "T111", ["team"] = "Test" },
            "chat.postMessage" => new JsonObject { ["ok"] = true, ["channel"] = call.Arg("channel"), ["ts"] = ts, ["message"] = new JsonObject { ["ts"] = ts } },
            "chat.update" => new JsonObject { ["ok"] = true, ["channel"] = call.Arg("channel"), ["ts"] = call.Arg("ts") },
            "chat.postEphemeral" => new JsonObject { ["ok"] = true, ["message_ts"] = ts },
            "conversations.create" => new JsonObject { ["ok"] = true, ["channel"] = new JsonObject { ["id"] = $"C0INC{n:D4}", ["name"] = call.Arg("name") } },
            // Slack answers the same users with the same conversation ("will return the already existing conversation").
            "conversations.open" => new JsonObject { ["ok"] = true, ["channel"] = new JsonObject { ["id"] = _directChannels.GetOrAdd(call.Arg("users") ?? call.Arg("channel") ?? "", _ => $"D0DM{n:D4}") } },
            "conversations.invite" or "conversations.setTopic" => new JsonObject { ["ok"] = true, ["channel"] = new JsonObject { ["id"] = call.Arg("channel") } },
            "conversations.history" => new JsonObject { ["ok"] = true, ["messages"] = new JsonArray(), ["has_more"] = false },
            "users.info" or "users.lookupByEmail" => new JsonObject
            {
                ["ok"] = true,
                ["user"] = new JsonObject { ["id"] = call.Arg("user") ?? "U0FOUND", ["name"] = "handle", ["profile"] = new JsonObject { ["display_name"] = $"Display {call.Arg("user")}" } },
            },
            "files.getUploadURLExternal" => new JsonObject { ["ok"] = true, ["upload_url"] = $"{BaseUrl}/upload/F{n:D4}", ["file_id"] = $"F{n:D4}" },
            "files.completeUploadExternal" => new JsonObject { ["ok"] = true, ["files"] = new JsonArray(new JsonObject { ["id"] = "F" }) },
            "apps.connections.open" => new JsonObject { ["ok"] = true, ["url"] = $"{BaseUrl.Replace("http://", "ws://", StringComparison.Ordinal)}/socket?ticket={n}" },
            _ => new JsonObject { ["ok"] = true },
        };
    }

    private readonly ConcurrentQueue<SocketPeer> _peers = new();
    private int _socketRequests;

    /// <summary>How many WebSocket connections the bot has asked for (counted when the request arrives, before it is accepted).</summary>
    public int SocketRequests => Volatile.Read(ref _socketRequests);

    private async Task SocketAsync(HttpContext http)
    {
        Interlocked.Increment(ref _socketRequests);
        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = 400;
            return;
        }

        var socket = await http.WebSockets.AcceptWebSocketAsync();
        var peer = new SocketPeer(socket);
        _peers.Enqueue(peer);
        _sockets.Writer.TryWrite(peer);
        await peer.Finished;
    }

    private sealed class RateLimited(int seconds) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = 429;
            httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return httpContext.Response.WriteAsJsonAsync(new { ok = false, error = "ratelimited" });
        }
    }
}

/// <summary>The server end of one Socket Mode connection, driven by a test.</summary>
public sealed class SocketPeer(WebSocket socket)
{
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _dropped;

    public Task Finished => _finished.Task;

    public Task SendAsync(string text) => socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    public Task SendAsync(JsonNode json) => SendAsync(json.ToJsonString());

    /// <summary>The next text message from the bot, or null when it closed the connection.</summary>
    public async Task<JsonObject?> ReceiveAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));
            if (result.MessageType == WebSocketMessageType.Close)
            {
                _finished.TrySetResult();
                return null;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return JsonNode.Parse(message.ToArray()) as JsonObject;
            }
        }
    }

    /// <summary>
    /// Drops the connection without a close handshake, as a network failure would. The socket is aborted before the
    /// connection's request is let go (<see cref="Finished"/>): once it ends, ASP.NET Core recycles the request's
    /// context, and aborting the socket then fails inside it (seen once as a NullReferenceException at tear-down).
    /// </summary>
    public void Drop()
    {
        if (_finished.Task.IsCompleted || Interlocked.Exchange(ref _dropped, 1) == 1)
        {
            return;
        }

        try
        {
            socket.Abort();
        }
        catch (ObjectDisposedException)
        {
            // The connection is gone already.
        }
        finally
        {
            _finished.TrySetResult();
        }
    }
}
