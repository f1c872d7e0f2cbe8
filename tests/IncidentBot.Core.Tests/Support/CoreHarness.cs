using IncidentBot.Tests.Support;
using IncidentBot.Core.Approvals;
using IncidentBot.Core.Commands;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.People;
using IncidentBot.Core.Service;
using IncidentBot.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Core.Tests.Support;

/// <summary>The real core (router, handlers, service) over an in-memory LiteDB, a fake clock and a recording chat surface.</summary>
public sealed class CoreHarness : IDisposable
{
    private readonly ServiceProvider _services;

    public CoreHarness(Dictionary<string, string?>? settings = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Storage:Path"] = ":memory:",
                ["Runbooks:Path"] = Repo.Runbooks,
                ["Reports:Path"] = Directory.CreateTempSubdirectory("reports").FullName,
                ["Roster:People:0:Name"] = "alice",
                ["Roster:People:0:Role"] = "on-call",
                ["Roster:People:0:SlackId"] = "U0ALICE",
                ["Roster:People:1:Name"] = "bob",
                ["Roster:People:1:Role"] = "engineering-lead",
                ["Roster:People:2:Name"] = "carol",
                ["Roster:People:2:Role"] = "cto",
            })
            .AddInMemoryCollection(settings ?? [])
            .Build();

        var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(Time)
            .AddSingleton<IChatSurface>(Surface)
            .AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(NullLogger<>));
        services.AddIncidentCore(configuration).AddIncidentStorage(configuration);
        _services = services.BuildServiceProvider();

        // The one hosted service these tests need: step automation runs in it, as in the host.
        _services.GetRequiredService<StepAutomationWorker>().StartAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    public FakeTimeProvider Time { get; } = new(Some.Start);

    public RecordingChat Surface { get; } = new();

    public IncidentService Incidents => _services.GetRequiredService<IncidentService>();

    public CommandRouter Router => _services.GetRequiredService<CommandRouter>();

    public IIncidentStore Store => _services.GetRequiredService<IIncidentStore>();

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    /// <summary>Runs a command and waits for what it started in the background (a runbook check, say), as a chat user would see it.</summary>
    public async Task<CommandResult> RunAsync(string line, string who = "alice", string channel = "C-incidents")
    {
        var result = await Router.HandleAsync(new CommandContext(new Actor(who), "test", channel), line, CancellationToken.None);
        await Get<BackgroundWork>().IdleAsync();
        return result;
    }

    public async Task<CommandResult> PressAsync(ButtonAction action, string who = "alice")
    {
        var result = await Router.PressAsync(new CommandContext(new Actor(who), "test", "C-elsewhere"), action, CancellationToken.None);
        await Get<BackgroundWork>().IdleAsync();
        return result;
    }

    public void Dispose()
    {
        _services.GetRequiredService<StepAutomationWorker>().StopAsync(CancellationToken.None).GetAwaiter().GetResult();
        _services.Dispose();
    }
}
