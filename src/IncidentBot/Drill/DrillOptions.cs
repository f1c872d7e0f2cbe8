namespace IncidentBot.Drill;

/// <summary>Section <c>Drill</c>: the sandbox's population and how the drills' faults behave. Read only with --drill.</summary>
public sealed class DrillOptions
{
    public const string Section = "Drill";

    /// <summary>Users in the sandbox.</summary>
    public int Users { get; set; } = 250;

    /// <summary>Seed of the population: the same seed gives the same user ids (the sample scripts rely on the default).</summary>
    public int Seed { get; set; } = 20261201;

    /// <summary>An auth-outage drill's outage recovers by itself after this many minutes.</summary>
    public double OutageMinutes { get; set; } = 10;

    /// <summary>A performance drill adds this much to every Backend API answer and the app's health.</summary>
    public int SlowMilliseconds { get; set; } = 700;

    /// <summary>How many users a security drill plants suspicious sessions on.</summary>
    public int SuspiciousUsers { get; set; } = 3;

    /// <summary>Roster names or roles a drill pages; empty: only the person who started it.</summary>
    public List<string> Page { get; set; } = [];
}
