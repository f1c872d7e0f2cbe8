namespace IncidentBot.Clerk.Tests.Support;

/// <summary>The repository root (where IncidentBot.sln is) and Clerk's spec under tests/specs/clerk.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Runbooks => Path.Combine(Root, "manifests", "runbooks");

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
