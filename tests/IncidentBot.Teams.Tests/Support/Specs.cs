using System.Text.Json.Nodes;
using IncidentBot.Tests.Support;

namespace IncidentBot.Teams.Tests.Support;

/// <summary>The Teams specs and samples the tests read: copies in tests/specs/teams (see its SOURCES.md), inside the repository.</summary>
public static class Specs
{
    public static string Teams => Path.Combine(Repo.Root, "tests", "specs", "teams");

    public static string File(string relative) => Path.Combine(Teams, relative);

    public static JsonObject Sample(string name) => (JsonObject)JsonNode.Parse(System.IO.File.ReadAllText(File(Path.Combine("samples", name))))!;
}
