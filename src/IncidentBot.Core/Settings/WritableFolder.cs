namespace IncidentBot.Core.Settings;

/// <summary>Whether the bot can create a folder and write a file in it, said as a short reason when it can't.</summary>
public static class WritableFolder
{
    public static string? Problem(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
            var probe = Path.Combine(folder, $".write-test-{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return $"the bot can't write there ({e.GetType().Name}: {e.Message})";
        }
    }
}
