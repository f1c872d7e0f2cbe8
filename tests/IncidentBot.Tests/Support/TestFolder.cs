namespace IncidentBot.Tests.Support;

/// <summary>A temporary folder for one test's database, reports and logs, and the settings (or environment) that point the bot at it.</summary>
public sealed class TestFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("incidentbot-test").FullName;

    public string Database => System.IO.Path.Combine(Path, "incidentbot.db");

    public string Reports => System.IO.Path.Combine(Path, "reports");

    public string Logs => System.IO.Path.Combine(Path, "logs");

    public Dictionary<string, string?> Settings => new()
    {
        ["Storage:Path"] = Database,
        ["Reports:Path"] = Reports,
        ["Serilog:WriteTo:0:Args:path"] = System.IO.Path.Combine(Logs, "incidentbot-.log"),
        ["Clerk:StatusUrl"] = Offline.StatusUrl,
    };

    public Dictionary<string, string> Environment => Settings.ToDictionary(kv => kv.Key.Replace(":", "__", StringComparison.Ordinal), kv => kv.Value!);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A log file may still be held by a process that is shutting down; the OS cleans temp.
        }
    }
}
