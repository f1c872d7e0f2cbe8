namespace IncidentBot.Tests.Support;

/// <summary>Settings that keep a test host on 127.0.0.1: the runbooks' first check reads Clerk's status page.</summary>
public static class Offline
{
    /// <summary>Nothing listens on the discard port, so a status-page read fails at once and the check says "unknown".</summary>
    public const string StatusUrl = "http://127.0.0.1:9/status";
}
