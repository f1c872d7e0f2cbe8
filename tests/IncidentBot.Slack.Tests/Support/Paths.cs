namespace IncidentBot.Slack.Tests.Support;

/// <summary>The repository root (where IncidentBot.sln is) and Slack's spec files under tests/specs/slack.</summary>
public static class Paths
{
    public static readonly string RepoRoot = FindRoot();

    public static string SlackSpecs => Path.Combine(RepoRoot, "tests", "specs", "slack");

    public static string Sample(string name) => File.ReadAllText(Path.Combine(SlackSpecs, "extracted", name));

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
