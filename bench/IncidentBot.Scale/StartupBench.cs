namespace IncidentBot.Scale;

public static class StartupBench
{
    public static Task<bool> RunAsync(bool quick) => Task.FromResult(quick);
}
