using IncidentBot.Core.Runbooks;

namespace IncidentBot.Core.Tests.Runbooks;

/// <summary>Found by the property tests: YAML the parser rejects with an ArgumentException is refused naming the file, like any other.</summary>
public sealed class RunbookHostileYamlTests
{
    [Theory]
    [InlineData("id: !<not a uri> x\n")]
    [InlineData("%TAG !e! not a uri\n---\nid: !e!x y\n")]
    public void YamlThatYamlDotNetRejectsOddlyIsARunbookErrorNamingTheFile(string yaml)
    {
        var error = Assert.Throws<RunbookException>(() => RunbookLoader.Parse("odd.yaml", yaml));

        Assert.StartsWith("odd.yaml: ", error.Message, StringComparison.Ordinal);
    }
}
