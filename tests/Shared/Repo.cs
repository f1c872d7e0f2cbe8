namespace IncidentBot.Tests.Support;

/// <summary>Finds the repository (the folder with IncidentBot.sln) from the test's output folder. Linked into every test project.</summary>
public static class Repo
{
    public static string Root { get; } = Find();

    public static string Runbooks => Path.Combine(Root, "manifests", "runbooks");

    /// <summary>The vendors' spec files the tests use, copied into the repository (tests/specs/SOURCES.md says from where).</summary>
    public static string Specs => Path.Combine(Root, "tests", "specs");

    private static string Find()
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
