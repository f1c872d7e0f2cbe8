using IncidentBot.Drill;
using IncidentBot.Hosting;
using IncidentBot.Shell;
using IncidentBot.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Sandbox.Tests.Drill;

/// <summary>
/// Everything the real bot sends the sandbox during the four drill samples is a request Clerk's spec allows, with
/// Clerk's headers, and every answer it gets is in the spec's shape (the shared ClerkContract checks).
/// </summary>
public sealed class DrillTrafficTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("incidentbot-drill");

    [Theory]
    [InlineData("drill-auth-outage.txt", true)]
    [InlineData("drill-security.txt", true)]
    [InlineData("drill-performance.txt", true)]
    [InlineData("drill-webhook-failure.txt", false)] // the data-sync runbook calls Clerk only through sync.*, not built yet
    public async Task EveryBackendApiRequestOfADrillFitsTheSpec(string sample, bool callsTheBackendApi)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero));
        var lines = new Queue<string>(File.ReadAllLines(Path.Combine(Repo.Root, "samples", sample)));
        var args = DrillMode.TakeFlag(["--drill"], out var drill);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = Repo.Root, Args = args, EnvironmentName = "Testing" });
        builder.AddIncidentBot(args, shell: true);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Path"] = Path.Combine(_folder.FullName, "incidentbot.db"),
            ["Reports:Path"] = Path.Combine(_folder.FullName, "reports"),
            ["Serilog:WriteTo:0:Args:path"] = Path.Combine(_folder.FullName, "logs", "incidentbot-.log"),
        });
        builder.AddDrill(drill);
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddShell(new ShellIO(new Lines(time, lines), new StringWriter(), EchoInput: true));
        using var host = builder.Build().CheckStartup();
        var sandbox = host.Services.GetRequiredService<ClerkSandbox>();
        sandbox.Wait = (span, _) =>
        {
            time.Advance(span);
            return Task.CompletedTask;
        };
        sandbox.Checked();

        await host.RunAsync().WaitAsync(TimeSpan.FromMinutes(2));

        Assert.NotEmpty(sandbox.Requests);
        Assert.Equal(callsTheBackendApi, sandbox.Requests.Any(r => r.Path.StartsWith("/v1/", StringComparison.Ordinal)));
        Assert.Empty(sandbox.Violations);
        Assert.Equal(0, sandbox.RateLimited);
    }

    public void Dispose()
    {
        try
        {
            _folder.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Standard input that moves the fake clock two minutes before each line.</summary>
    private sealed class Lines(FakeTimeProvider time, Queue<string> lines) : TextReader
    {
        public override string? ReadLine()
        {
            if (!lines.TryDequeue(out var line))
            {
                return null;
            }

            time.Advance(TimeSpan.FromMinutes(2));
            return line;
        }

        public override ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken) => ValueTask.FromResult(ReadLine());

        public override Task<string?> ReadLineAsync() => Task.FromResult(ReadLine());
    }
}
