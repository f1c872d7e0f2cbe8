using System.Text.RegularExpressions;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Tests.Support;
using IncidentBot.Tests.Support;

namespace IncidentBot.Core.Tests.Incidents;

public sealed class StateDiagramTests
{
    [Fact]
    public void TheReadmeShowsTheStateMachineExactlyAsTheCodeBuildsIt()
    {
        var readme = File.ReadAllText(Path.Combine(Repo.Root, "README.md"));
        var block = Regex.Match(readme, "```mermaid\\n(?<graph>stateDiagram-v2.*?)```", RegexOptions.Singleline);
        Assert.True(block.Success, "README.md has no ```mermaid block with a stateDiagram-v2");

        Assert.Equal(Normalize(Incident.StateDiagram()), Normalize(block.Groups["graph"].Value));
    }

    private static string[] Normalize(string graph) =>
        graph.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
}
