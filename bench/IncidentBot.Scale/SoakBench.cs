namespace IncidentBot.Scale;

public static class SoakBench
{
    public static Task<bool> RunAsync(double minutes) => Task.FromResult(minutes > 0);
}
