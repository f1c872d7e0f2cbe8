namespace IncidentBot.Properties.Tests.Support;

/// <summary>
/// How many generated inputs each property tries: <c>PROPERTY_ITERATIONS</c> when set (the benchmark command uses
/// 100,000), else a count small enough that the whole suite stays well under a minute on two cores in CI.
/// </summary>
public static class Iterations
{
    public const long Default = 2_000;

    public static long Count { get; } =
        long.TryParse(Environment.GetEnvironmentVariable("PROPERTY_ITERATIONS"), out var n) && n > 0 ? n : Default;
}
