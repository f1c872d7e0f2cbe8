using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using IncidentBot.Core.Approvals;
using IncidentBot.Core.Service;
using IncidentBot.Hosting;
using IncidentBot.Slack.Inbound;
using IncidentBot.Slack.Outbound;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;

namespace IncidentBot.Slack.Tests.Support;

/// <summary>
/// The real host, built as Program.cs builds it (AddIncidentBot + AddSlack + MapHealth + MapSlack), on 127.0.0.1 with
/// in-memory storage, a FakeTimeProvider, and Slack's Web API pointed at a <see cref="SlackEmulator"/>.
/// </summary>
public sealed class TestBot : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _dir;

    private TestBot(WebApplication app, string dir, ObservedTimeProvider time, CapturingSink log, HttpClient http)
    {
        _app = app;
        _dir = dir;
        Time = time;
        Log = log;
        Http = http;
    }

    public ObservedTimeProvider Time { get; }

    public CapturingSink Log { get; }

    public HttpClient Http { get; }

    public IncidentService Incidents => _app.Services.GetRequiredService<IncidentService>();

    public IServiceProvider Services => _app.Services;

    public static async Task<TestBot> StartAsync(SlackEmulator emulator, Dictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var dir = Path.Combine(Path.GetTempPath(), "incidentbot-slack-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = dir, EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var config = new Dictionary<string, string?>
        {
            ["Storage:Path"] = ":memory:",
            ["Reports:Path"] = Path.Combine(dir, "reports"),
            ["Runbooks:Path"] = Path.Combine(Paths.RepoRoot, "manifests", "runbooks"),
            ["Serilog:MinimumLevel:Default"] = "Information",
            ["Roster:People:0:Name"] = "alice",
            ["Roster:People:0:Role"] = "on-call",
            ["Roster:People:0:SlackId"] = "U0ALICE",
            ["Roster:People:1:Name"] = "bob",
            ["Roster:People:1:Role"] = "engineering-lead",
            ["Roster:People:1:SlackId"] = "U0BOB",
            ["Roster:People:2:Name"] = "carol",
            ["Roster:People:2:Role"] = "cto",
            ["Roster:People:2:SlackId"] = "U0CAROL", // everyone who can be paged needs a Slack id, or start-up stops
            ["Slack:ApiUrl"] = emulator.ApiUrl,
            ["Slack:BotToken"] = SlackEmulator.BotToken,
            ["Slack:SigningSecret"] = Some.SigningSecret,

            // Step automation reads Clerk's status page when a check step becomes current: on loopback (nothing
            // answers there, so the check says "unknown"), never status.clerk.com from a test.
            ["Clerk:StatusUrl"] = emulator.BaseUrl + "/status",
        };
        foreach (var (key, value) in settings ?? [])
        {
            config[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(config);
        var time = new ObservedTimeProvider(Some.Now);
        var sink = new CapturingSink();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton<ILogEventSink>(sink);
        builder.AddIncidentBot([], shell: false);
        builder.Services.AddSlack(builder.Configuration);
        services?.Invoke(builder.Services);

        var app = builder.Build().CheckStartup();
        app.MapHealth();
        app.MapSlack();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestBot(app, dir, time, sink, new HttpClient { BaseAddress = new Uri(address) });
    }

    /// <summary>Posts a body to a Slack endpoint signed with <paramref name="secret"/> at <paramref name="at"/> (default: correctly, now).</summary>
    public Task<HttpResponseMessage> PostSignedAsync(
        string path, string body, string contentType, string? secret = null, DateTimeOffset? at = null, int retryNum = 0, string? signedBody = null)
    {
        var timestamp = (at ?? Time.GetUtcNow()).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        request.Headers.Add("X-Slack-Signature", SlackSignature.Sign(secret ?? Some.SigningSecret, timestamp, Encoding.UTF8.GetBytes(signedBody ?? body)));
        if (retryNum > 0)
        {
            request.Headers.Add("X-Slack-Retry-Num", retryNum.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add("X-Slack-Retry-Reason", "http_timeout");
        }

        return Http.SendAsync(request);
    }

    public Task<HttpResponseMessage> CommandAsync(string body) => PostSignedAsync("/slack/commands", body, "application/x-www-form-urlencoded");

    public Task<HttpResponseMessage> InteractionAsync(JsonObject payload) =>
        PostSignedAsync("/slack/interactions", "payload=" + Uri.EscapeDataString(payload.ToJsonString()), "application/x-www-form-urlencoded");

    public Task<HttpResponseMessage> EventAsync(JsonObject envelope, int retryNum = 0) =>
        PostSignedAsync("/slack/events", envelope.ToJsonString(), "application/json", retryNum: retryNum);

    /// <summary>
    /// Completes once no Slack work is queued or running in any lane. A no-op item is queued first, so this also waits
    /// for the worker to start taking work (after its token check).
    /// </summary>
    public async Task DrainAsync()
    {
        var queue = Services.GetRequiredService<SlackWorkQueue>();
        queue.Enqueue("test marker", _ => Task.CompletedTask);
        await queue.IdleAsync().WaitAsync(TimeSpan.FromSeconds(20));
    }

    /// <summary>
    /// Completes once the step automation started so far (checks, approval requests) has finished and the Slack work
    /// it and everything before it queued has run.
    /// </summary>
    public async Task SettleAsync()
    {
        await Services.GetRequiredService<BackgroundWork>().IdleAsync().WaitAsync(TimeSpan.FromSeconds(20));
        await DrainAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
