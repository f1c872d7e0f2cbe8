using IncidentBot.Drill;
using IncidentBot.Sandbox;
using IncidentBot.Sync.Tests.Support;
using IncidentBot.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace IncidentBot.Sync.Tests.Sandbox;

/// <summary>
/// The settings that point a real bot (in-process host or process) at a <see cref="ClerkSandbox"/> and a test database:
/// Clerk, the app's webhook receiver and the hooks as drill mode sets them (<see cref="DrillSettings"/>), the Sync
/// section, and storage, reports, exports, checkpoints and logs in one temporary folder.
/// </summary>
public static class SandboxBotSettings
{
    public static Dictionary<string, string?> For(ClerkSandbox sandbox, TestDatabase database, string folder, int batchSize = 500, double progressSeconds = 0)
    {
        var repo = new ConfigurationBuilder().AddJsonFile(Path.Combine(Repo.Root, "appsettings.json")).Build();
        var settings = DrillSettings.For(sandbox, repo);
        settings["Storage:Path"] = Path.Combine(folder, "incidentbot.db");
        settings["Reports:Path"] = Path.Combine(folder, "reports");
        settings["Serilog:WriteTo:0:Args:path"] = Path.Combine(folder, "logs", "incidentbot-.log");
        settings["Clerk:RateLimit:TestRequests"] = "1000000";
        settings["Sync:ConnectionString"] = database.ConnectionString;
        settings["Sync:BatchSize"] = batchSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Sync:ProgressSeconds"] = progressSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Sync:ExportPath"] = Path.Combine(folder, "exports");
        settings["Sync:CheckpointPath"] = Path.Combine(folder, "checkpoints");
        return settings;
    }
}
