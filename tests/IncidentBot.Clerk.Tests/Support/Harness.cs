using System.Collections.Concurrent;
using IncidentBot.Core;
using IncidentBot.Core.Approvals;
using IncidentBot.Core.Commands;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.People;
using IncidentBot.Core.Service;
using IncidentBot.Sandbox;
using IncidentBot.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using IncidentBot.Tests.Support;

namespace IncidentBot.Clerk.Tests.Support;

/// <summary>
/// The real core, storage (LiteDB in memory) and Clerk services, Clerk as the embedded sandbox on loopback (every
/// request and answer checked against the spec, see <see cref="ClerkContract"/>), and a fake clock that
/// moves on only while no HTTP request is being answered: waits (rate limits, Retry-After, backoff, timeouts)
/// pass in fake time, request bodies never see the clock jump.
/// </summary>
public sealed class Harness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 28, 18, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _services;
    private readonly ClientInFlight _client;

    /// <summary>The secret every hook of the harness signs with (the sandbox's app checks it).</summary>
    public const string HookSecret = "hook-test-secret";

    private Harness(ServiceProvider services, ClerkSandbox sandbox, FakeTimeProvider time, Chat chat, LogSink logs, ClientInFlight client)
    {
        _client = client;
        _services = services;
        Sandbox = sandbox;
        Time = time;
        Chat = chat;
        Logs = logs;
    }

    public ClerkSandbox Sandbox { get; }

    public FakeTimeProvider Time { get; }

    public Chat Chat { get; }

    public LogSink Logs { get; }

    public IServiceProvider Services => _services;

    public IncidentService Incidents => _services.GetRequiredService<IncidentService>();

    public CommandRouter Router => _services.GetRequiredService<CommandRouter>();

    /// <summary>How far the fake clock may jump while the system waits.</summary>
    public TimeSpan Step { get; set; } = TimeSpan.FromMilliseconds(250);

    public static async Task<Harness> StartAsync(
        Action<Dictionary<string, string?>>? configure = null, LogLevel logLevel = LogLevel.Information, Action<IServiceCollection>? extra = null)
    {
        var time = new FakeTimeProvider(Start);
        var sandbox = await TestSandbox.StartAsync(time, o => o.HookSecret = HookSecret);
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Path"] = ":memory:",
            ["Runbooks:Path"] = Repo.Runbooks,
            ["Reports:Path"] = Path.Combine(Path.GetTempPath(), "incidentbot-clerk-tests"),
            ["Roster:People:0:Name"] = "alice",
            ["Roster:People:0:Role"] = "on-call",
            ["Roster:People:0:Email"] = "alice@example.com",
            ["Roster:People:1:Name"] = "bob",
            ["Roster:People:1:Role"] = "engineering-lead",
            ["Roster:People:1:Email"] = "bob@example.com",
            ["Roster:People:2:Name"] = "carol",
            ["Roster:People:2:Role"] = "cto",
            ["Roster:People:3:Name"] = "dave",
            ["Roster:People:3:Role"] = "support",
            ["Clerk:ApiUrl"] = sandbox.ApiUrl,
            ["Clerk:SecretKey"] = TestSandbox.SecretKey,
            ["Clerk:StatusUrl"] = sandbox.StatusUrl,
            ["Clerk:WebhookSecret"] = sandbox.Options.WebhookSecret,
            ["App:HealthUrl"] = sandbox.HealthUrl,
            ["App:WebhookUrl"] = sandbox.WebhookUrl,
            ["Hooks:emergency-bypass-on:Url"] = sandbox.HookUrl(SandboxApp.BypassOn),
            ["Hooks:emergency-bypass-on:Secret"] = HookSecret,
            ["Hooks:emergency-bypass-on:Bypass"] = "on",
            ["Hooks:emergency-bypass-off:Url"] = sandbox.HookUrl(SandboxApp.BypassOff),
            ["Hooks:emergency-bypass-off:Secret"] = HookSecret,
            ["Hooks:emergency-bypass-off:Bypass"] = "off",
            ["Hooks:emergency-bypass-off:Destructive"] = "false",
        };
        configure?.Invoke(settings);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

        var chat = new Chat();
        var logs = new LogSink();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(logLevel));
        services.AddSingleton<IChatSurface>(chat);
        services.AddIncidentCore(configuration);
        services.AddIncidentStorage(configuration);
        services.AddClerk(configuration);
        extra?.Invoke(services);
        var client = new ClientInFlight();
        client.CountOn(services);
        var provider = services.BuildServiceProvider();
        provider.GetService<IStartupValidator>()?.Validate();
        var harness = new Harness(provider, sandbox, time, chat, logs, client);

        // Step automation runs in a hosted service, as in the host.
        await provider.GetRequiredService<StepAutomationWorker>().StartAsync(CancellationToken.None);
        return harness;
    }

    public Task<CommandResult> RunAsync(string person, string line) =>
        DriveAsync(Router.HandleAsync(Context(person), line, CancellationToken.None));

    public Task<CommandResult> PressAsync(string person, Button button) =>
        DriveAsync(Router.PressAsync(Context(person), button.Action, CancellationToken.None));

    /// <summary>Waits for step automation (checks, requests) started in the background.</summary>
    public Task IdleAsync() => DriveAsync(_services.GetRequiredService<BackgroundWork>().IdleAsync());

    public Incident Incident(string id = "INC-1") => Incidents.Find(id)!;

    public CommandContext Context(string person) => new(new Actor(person, person), "test", "room");

    public async Task<T> DriveAsync<T>(Task<T> work)
    {
        await DriveAsync((Task)work);
        return await work;
    }

    public Task DriveAsync(Task work) => _client.DriveAsync(work, Sandbox, Time, Step);

    /// <summary>Stops everything; then every test that used the harness fails if any request or answer broke Clerk's contract.</summary>
    public async ValueTask DisposeAsync()
    {
        await _services.GetRequiredService<StepAutomationWorker>().StopAsync(CancellationToken.None);
        await _services.DisposeAsync();
        await Sandbox.DisposeAsync();
        Assert.True(Sandbox.Violations.IsEmpty, "Requests or answers outside Clerk's spec:\n" + string.Join("\n", Sandbox.Violations));
    }
}

/// <summary>The chat as the tests see it: every post, card and direct message, in order.</summary>
public sealed class Chat : IChatSurface
{
    private readonly ConcurrentQueue<ChatMessage> _posts = new();

    public string Platform => "test";

    public ChatMessage? LastCard { get; private set; }

    public IReadOnlyList<ChatMessage> Posts => _posts.ToList();

    public string Text => string.Join("\n", _posts.Select(p => $"{p.Header}\n{p.Text}\n{string.Join("\n", p.Fields.Select(f => $"{f.Label}: {f.Value}"))}"));

    private readonly List<(Func<ChatMessage, bool> Match, TaskCompletionSource<ChatMessage> Seen)> _waiting = [];

    public Task PublishAsync(Publication publication, CancellationToken cancellationToken)
    {
        LastCard = publication.Card;
        foreach (var post in publication.Posts)
        {
            _posts.Enqueue(post);
        }

        foreach (var direct in publication.Directs)
        {
            _posts.Enqueue(direct.Message);
        }

        lock (_waiting)
        {
            foreach (var waiter in _waiting.ToList())
            {
                if (publication.Posts.Concat(publication.Directs.Select(d => d.Message)).FirstOrDefault(waiter.Match) is { } hit)
                {
                    waiter.Seen.TrySetResult(hit);
                    _waiting.Remove(waiter);
                }
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>The first post (already there or yet to come) that matches: for work the test can't await directly, like a hosted service's.</summary>
    public Task<ChatMessage> WaitForAsync(Func<ChatMessage, bool> match)
    {
        lock (_waiting)
        {
            if (_posts.FirstOrDefault(match) is { } already)
            {
                return Task.FromResult(already);
            }

            var seen = new TaskCompletionSource<ChatMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Add((match, seen));
            return seen.Task.WaitAsync(TimeSpan.FromSeconds(30)); // a guard against hanging, not a timing assertion
        }
    }

    public ChatMessage Approval(string id) =>
        Posts.Last(p => p.Kind == MessageKind.Approval && p.Header!.Contains($"Approval {id}:", StringComparison.Ordinal));

    public Button Button(string approvalId, string label) => Approval(approvalId).Buttons.Single(b => b.Label == label);
}

public sealed class LogSink : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public string Text => string.Join("\n", _lines);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogSink sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            sink._lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
