using BenchmarkDotNet.Attributes;
using IncidentBot.Core;
using IncidentBot.Core.Commands;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.People;
using IncidentBot.Core.Reports;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;
using IncidentBot.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace IncidentBot.Benchmarks;

/// <summary>The hot paths of the core: parsing a command, a whole incident through the router on LiteDB, the report.</summary>
[MemoryDiagnoser]
public class CoreBenchmarks
{
    private ServiceProvider _services = null!;
    private CommandRouter _router = null!;
    private IncidentService _incidents = null!;
    private Incident _reportIncident = null!;
    private IReadOnlyList<TimelineEntry> _reportTimeline = null!;

    [GlobalSetup]
    public void Setup()
    {
        var root = FindRoot();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Path"] = ":memory:",
            ["Runbooks:Path"] = Path.Combine(root, "manifests", "runbooks"),
            ["Reports:Path"] = Directory.CreateTempSubdirectory("bench-reports").FullName,
            ["Roster:People:0:Name"] = "alice",
            ["Roster:People:0:Role"] = "on-call",
        }).Build();
        var services = new ServiceCollection().AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(NullLogger<>));
        services.AddIncidentCore(configuration).AddIncidentStorage(configuration);
        _services = services.BuildServiceProvider();
        _router = _services.GetRequiredService<CommandRouter>();
        _incidents = _services.GetRequiredService<IncidentService>();

        var id = Run("/incident declare auth-outage sev1 Report benchmark").IncidentId!;
        Run($"/incident ack {id}");
        for (var i = 0; i < 500; i++)
        {
            Run($"/incident note {id} finding number {i}");
        }

        _reportIncident = _incidents.Find(id)!;
        _reportTimeline = _incidents.Timeline(id);
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark]
    public ParseResult ParseDeclare() => _router.Parser.Parse("/incident declare auth-outage sev1 Users cannot sign in");

    /// <summary>Declare, acknowledge, walk the ten auth-outage steps of the app-issue path (with the choice), resolve: 14 commands, each a locked load-change-save.</summary>
    [Benchmark]
    public string WholeIncidentThroughTheRouter()
    {
        var id = Run("/incident declare auth-outage sev1 Users cannot sign in").IncidentId!;
        Run($"/incident ack {id}");
        Run($"/incident step {id} done");
        Run($"/incident step {id} done");
        Run($"/incident step {id} done");
        Run($"/incident step {id} done");
        Run($"/incident step {id} choose app-issue");
        for (var i = 0; i < 5; i++)
        {
            Run($"/incident step {id} done");
        }

        return Run($"/incident resolve {id}").Reply.Message.Text;
    }

    [Benchmark]
    public string ReportOf500Entries() =>
        ReportWriter.Write(_reportIncident, _incidents.RunbookOf(_reportIncident), _reportTimeline, [], _reportIncident.DeclaredAt.AddHours(2));

    private CommandResult Run(string line) =>
        _router.HandleAsync(new CommandContext(new Actor("alice"), "bench", "C1"), line, CancellationToken.None).GetAwaiter().GetResult();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IncidentBot.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
