using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using IncidentBot.Core.Approvals;
using IncidentBot.Core.Service;
using IncidentBot.Hosting;
using IncidentBot.Teams.Outbound;
using IncidentBot.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;

namespace IncidentBot.Teams.Tests.Support;

/// <summary>
/// The real host, built as Program.cs builds it (AddIncidentBot + AddTeams + MapHealth + MapTeams), on 127.0.0.1 with
/// in-memory storage, a FakeTimeProvider, the Bot Connector's keys from a <see cref="TokenIssuer"/> and its REST API
/// and token endpoint from a <see cref="ConnectorEmulator"/>.
/// </summary>
public sealed class TestBot : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _dir;
    private readonly TokenIssuer _issuer;

    private TestBot(WebApplication app, string dir, TokenIssuer issuer, ObservedTimeProvider time, CapturingSink log, HttpClient http)
    {
        _app = app;
        _dir = dir;
        _issuer = issuer;
        Time = time;
        Log = log;
        Http = http;
    }

    public ObservedTimeProvider Time { get; }

    public CapturingSink Log { get; }

    public HttpClient Http { get; }

    public IncidentService Incidents => _app.Services.GetRequiredService<IncidentService>();

    public IServiceProvider Services => _app.Services;

    public static async Task<TestBot> StartAsync(TokenIssuer issuer, ConnectorEmulator connector, Dictionary<string, string?>? settings = null)
    {
        var dir = Path.Combine(Path.GetTempPath(), "incidentbot-teams-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = dir, EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var config = new Dictionary<string, string?>
        {
            ["Storage:Path"] = ":memory:",
            ["Reports:Path"] = Path.Combine(dir, "reports"),
            ["Runbooks:Path"] = Repo.Runbooks,
            ["Serilog:MinimumLevel:Default"] = "Information",
            ["Clerk:StatusUrl"] = Offline.StatusUrl,
            ["Teams:AppId"] = Some.AppId,
            ["Teams:AppPassword"] = Some.AppPassword,
            ["Teams:TenantId"] = Some.TenantId,
            ["Teams:OpenIdMetadataUrl"] = issuer.MetadataUrl,
            ["Teams:TokenUrl"] = connector.TokenUrl,
        };
        var people = new[] { Some.Alice, Some.Bob, Some.Carol };
        for (var i = 0; i < people.Length; i++)
        {
            config[$"Roster:People:{i}:Name"] = people[i].Name;
            config[$"Roster:People:{i}:Role"] = people[i].Role;
            config[$"Roster:People:{i}:TeamsId"] = people[i].Aad;
        }

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
        builder.Services.AddTeams(builder.Configuration);

        var app = builder.Build().CheckStartup();
        app.MapHealth();
        app.MapTeams();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestBot(app, dir, issuer, time, sink, new HttpClient { BaseAddress = new Uri(address) });
    }

    /// <summary>Posts an activity to /api/messages with a token the Connector would send for it (or the one given).</summary>
    public Task<HttpResponseMessage> PostAsync(JsonObject activity, string? token = null)
    {
        token ??= _issuer.Mint(new TokenSpec { ServiceUrl = (string?)activity["serviceUrl"] }, Time.GetUtcNow());
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages")
        {
            Content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return Http.SendAsync(request);
    }

    /// <summary>Completes once every piece of Teams work queued so far has run (the worker runs them in order).</summary>
    public async Task DrainAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Services.GetRequiredService<TeamsWorkQueue>().Enqueue("test marker", _ =>
        {
            done.SetResult();
            return Task.CompletedTask;
        });
        await done.Task.WaitAsync(TimeSpan.FromSeconds(20));
    }

    /// <summary>Completes once the step automation started so far has finished and the Teams work queued before has run.</summary>
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
