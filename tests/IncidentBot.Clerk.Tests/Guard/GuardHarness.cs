using System.Collections.Concurrent;
using IncidentBot.Clerk.Tests.Support;
using IncidentBot.Core;
using IncidentBot.Core.Approvals;
using IncidentBot.Core.Commands;
using IncidentBot.Core.Escalation;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.People;
using IncidentBot.Core.Service;
using IncidentBot.Tests.Support;
using IncidentBot.Sandbox;
using IncidentBot.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Clerk.Tests.Guard;

/// <summary>
/// The real core, storage (LiteDB in memory) and Clerk services against the embedded <see cref="ClerkSandbox"/> on
/// loopback, with a fake clock that moves only while every request on the wire is one the sandbox holds on purpose.
/// </summary>
public sealed class GuardHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 28, 18, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _services;
    private readonly ClientInFlight _client;

    private GuardHarness(ServiceProvider services, ClerkSandbox sandbox, FakeTimeProvider time, GuardChat chat, ClientInFlight client)
    {
        _client = client;
        _services = services;
        Sandbox = sandbox;
        Time = time;
        Chat = chat;
    }

    public ClerkSandbox Sandbox { get; }

    public FakeTimeProvider Time { get; }

    public GuardChat Chat { get; }

    public IServiceProvider Services => _services;

    public IncidentService Incidents => _services.GetRequiredService<IncidentService>();

    public CommandRouter Router => _services.GetRequiredService<CommandRouter>();

    /// <summary>Every Backend API request the sandbox saw (under /v1/).</summary>
    public int ClerkApiRequests => Sandbox.Requests.Count(r => r.Path.StartsWith("/v1/", StringComparison.Ordinal));

    public static readonly Dictionary<string, string?> Roster = new()
    {
        ["Roster:People:0:Name"] = "alice",
        ["Roster:People:0:Role"] = "on-call",
        ["Roster:People:0:Email"] = "alice@example.com",
        ["Roster:People:0:SlackId"] = "UALICE",
        ["Roster:People:1:Name"] = "bob",
        ["Roster:People:1:Role"] = "engineering-lead",
        ["Roster:People:1:Email"] = "bob@example.com",
        ["Roster:People:1:SlackId"] = "UBOB",
        ["Roster:People:2:Name"] = "carol",
        ["Roster:People:2:Role"] = "cto",
        ["Roster:People:2:SlackId"] = "UCAROL",
        ["Roster:People:3:Name"] = "dave",
        ["Roster:People:3:Role"] = "support",
        ["Roster:People:3:SlackId"] = "UDAVE",
    };

    public static async Task<GuardHarness> StartAsync(Action<Dictionary<string, string?>>? configure = null, Action<IServiceCollection>? extra = null)
    {
        var time = new FakeTimeProvider(Start);
        var sandbox = await ClerkSandbox.StartAsync(new SandboxOptions { Users = 0, RateLimit = null }, time);
        var settings = new Dictionary<string, string?>(Roster)
        {
            ["Storage:Path"] = ":memory:",
            ["Runbooks:Path"] = Path.Combine(Root(), "manifests", "runbooks"),
            ["Reports:Path"] = Path.Combine(Path.GetTempPath(), "incidentbot-guard-tests"),
            ["Clerk:ApiUrl"] = sandbox.ApiUrl,
            ["Clerk:SecretKey"] = sandbox.Options.SecretKey,
            ["Clerk:StatusUrl"] = sandbox.StatusUrl,
            ["Clerk:WebhookSecret"] = sandbox.Options.WebhookSecret,
            ["App:HealthUrl"] = sandbox.HealthUrl,
            ["App:WebhookUrl"] = sandbox.WebhookUrl,
        };
        configure?.Invoke(settings);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

        var chat = new GuardChat();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddLogging();
        services.AddSingleton<IChatSurface>(chat);
        services.AddIncidentCore(configuration);
        services.AddEscalation(configuration);
        services.AddIncidentStorage(configuration);
        services.AddClerk(configuration);
        extra?.Invoke(services);
        var client = new ClientInFlight();
        client.CountOn(services);
        var provider = services.BuildServiceProvider();
        _ = provider.GetRequiredService<IOptions<ApprovalOptions>>().Value; // validated, as at start-up
        var harness = new GuardHarness(provider, sandbox, time, chat, client);
        await provider.GetRequiredService<StepAutomationWorker>().StartAsync(CancellationToken.None);
        return harness;
    }

    /// <summary>Someone in Slack: a roster person by their Slack id, anyone else as the platform shows them.</summary>
    public CommandContext Slack(string slackId, string shownName) =>
        new(_services.GetRequiredService<IOptions<RosterOptions>>().Value.ActorFor(slackId, shownName), "slack", "C1");

    public Task<CommandResult> RunAsync(CommandContext who, string line) => DriveAsync(Router.HandleAsync(who, line, CancellationToken.None));

    public Task<CommandResult> RunAsync(string person, string line) => RunAsync(new CommandContext(new Actor(person, person), "test", "room"), line);

    public Task<CommandResult> PressAsync(string person, Button button) =>
        DriveAsync(Router.PressAsync(new CommandContext(new Actor(person, person), "test", "room"), button.Action, CancellationToken.None));

    public Task IdleAsync() => DriveAsync(_services.GetRequiredService<BackgroundWork>().IdleAsync());

    public Incident Incident(string id = "INC-1") => Incidents.Find(id)!;

    public async Task<T> DriveAsync<T>(Task<T> work)
    {
        await DriveAsync((Task)work);
        return await work;
    }

    public Task DriveAsync(Task work) => _client.DriveAsync(work, Sandbox, Time, TimeSpan.FromMilliseconds(250));

    public async ValueTask DisposeAsync()
    {
        await _services.GetRequiredService<StepAutomationWorker>().StopAsync(CancellationToken.None);
        await _services.DisposeAsync();
        await Sandbox.DisposeAsync();
    }

    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IncidentBot.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("IncidentBot.sln not found above the test output folder");
    }
}

/// <summary>The chat as the tests see it: every post and direct message, in order.</summary>
public sealed class GuardChat : IChatSurface
{
    private readonly ConcurrentQueue<ChatMessage> _posts = new();
    private readonly ConcurrentQueue<DirectMessage> _directs = new();

    public string Platform => "test";

    /// <summary>Escalation pages, each to one person.</summary>
    public IReadOnlyList<DirectMessage> Directs => _directs.ToList();

    public IReadOnlyList<ChatMessage> Posts => _posts.ToList();

    public string Text => string.Join("\n", _posts.Select(p => $"{p.Header}\n{p.Text}"));

    public Task PublishAsync(Publication publication, CancellationToken cancellationToken)
    {
        foreach (var post in publication.Posts.Concat(publication.Directs.Select(d => d.Message)))
        {
            _posts.Enqueue(post);
        }

        foreach (var direct in publication.Directs)
        {
            _directs.Enqueue(direct);
        }

        return Task.CompletedTask;
    }

    public ChatMessage? Approval(string id) =>
        Posts.LastOrDefault(p => p.Kind == MessageKind.Approval && p.Header!.Contains($"Approval {id}:", StringComparison.Ordinal));

    public Button Button(string approvalId, string label) => Approval(approvalId)!.Buttons.Single(b => b.Label == label);
}

/// <summary>A platform whose rooms are (or are not) private, for the masking tests.</summary>
public sealed class TestRoomPrivacy(bool isPrivate) : IRoomPrivacy
{
    public string Platform => "test";

    public bool IsPrivate(Incident incident) => isPrivate;
}
