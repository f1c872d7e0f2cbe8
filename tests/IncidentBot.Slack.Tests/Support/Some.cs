namespace IncidentBot.Slack.Tests.Support;

/// <summary>Throwaway values that must not look like real secrets.</summary>
public static class Some
{
    public const string SigningSecret = "test-signing-secret-not-real";

    public static readonly DateTimeOffset Now = new(2026, 11, 28, 3, 10, 0, TimeSpan.Zero);
}
