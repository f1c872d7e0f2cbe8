using IncidentBot.Clerk;
using IncidentBot.Core;
using IncidentBot.Core.Approvals;
using IncidentBot.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Scale;

/// <summary>The bot's own services, wired as the host wires them (one AddXxx per project), without the web host.</summary>
public sealed class BotServices : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly string _reports = Directory.CreateTempSubdirectory("bench-reports").FullName;

    private BotServices(Dictionary<string, string?> settings, bool clerk)
    {
        var root = Repo.Root;
        settings.TryAdd("Runbooks:Path", Path.Combine(root, "manifests", "runbooks"));
        settings.TryAdd("Reports:Path", _reports);
        settings.TryAdd("Roster:People:0:Name", "alice");
        settings.TryAdd("Roster:People:0:Role", "on-call");
        settings.TryAdd("Roster:People:1:Name", "bob");
        settings.TryAdd("Roster:People:1:Role", "engineering-lead");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging(l => l.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole());
        services.AddSingleton<IConfiguration>(configuration);
        services.AddIncidentCore(configuration).AddIncidentStorage(configuration);
        if (clerk)
        {
            services.AddClerk(configuration);
        }

        _services = services.BuildServiceProvider();
    }

    public static BotServices Clerk(string apiUrl, string secretKey, int limit) => new(new Dictionary<string, string?>
    {
        ["Storage:Path"] = ":memory:",
        ["Clerk:ApiUrl"] = apiUrl,
        ["Clerk:SecretKey"] = secretKey,
        ["Clerk:StatusUrl"] = apiUrl,
        ["Clerk:RateLimit:TestRequests"] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
    }, clerk: true);

    public static BotServices Store(string path) => new(new Dictionary<string, string?> { ["Storage:Path"] = path }, clerk: false);

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    public T Runner<T>()
        where T : IActionRunner => _services.GetServices<IActionRunner>().OfType<T>().Single();

    public void Dispose()
    {
        _services.Dispose();
        Directory.Delete(_reports, recursive: true);
    }
}

public static class Repo
{
    public static string Root { get; } = Find();

    private static string Find()
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
