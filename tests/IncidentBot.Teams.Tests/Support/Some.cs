namespace IncidentBot.Teams.Tests.Support;

/// <summary>Throwaway values the tests share.</summary>
public static class Some
{
    public static readonly DateTimeOffset Now = new(2026, 11, 28, 3, 10, 0, TimeSpan.Zero);

    public const string AppId = "0b6fe6d1-fece-44f7-9a48-56465e2d5ab8";

    public const string BotId = "28:" + AppId;

    public const string AppPassword = "app-password-never-logged";

    public const string TenantId = "50612dbb-0237-4969-b378-8d42590f9c00";

    public const string Channel = "19:6848757105754c8981c67612732d9aa7@thread.tacv2";

    public const string Team = "19:66P469zibfbsGI-_a0aN_toLTZpyzS6u7CT3TsXdgPw1@thread.tacv2";

    /// <summary>Roster people and their Teams identities (Entra object id, Teams id for this bot).</summary>
    public static readonly (string Name, string Role, string Aad, string Mri) Alice = ("alice", "on-call", "aad-alice-0001", "29:alice-mri");
    public static readonly (string Name, string Role, string Aad, string Mri) Bob = ("bob", "engineering-lead", "aad-bob-0002", "29:bob-mri");
    public static readonly (string Name, string Role, string Aad, string Mri) Carol = ("carol", "cto", "aad-carol-0003", "29:carol-mri");
}
