namespace IncidentBot.Clerk.Tests.Support;

/// <summary>For the linked emulator: the Clerk spec copied into the repository (tests/specs/SOURCES.md).</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string BapiSpec => Path.Combine(Root, "tests", "specs", "clerk", "openapi-specs", "bapi", "2026-05-12.yml");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IncidentBot.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("IncidentBot.sln not found above " + AppContext.BaseDirectory);
    }
}
