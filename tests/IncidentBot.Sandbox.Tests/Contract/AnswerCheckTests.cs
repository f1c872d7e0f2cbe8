using System.Text.Json;
using IncidentBot.Tests.Support;

namespace IncidentBot.Sandbox.Tests.Contract;

/// <summary>The response schema checker (under ClerkContract) has teeth: shapes the spec forbids are caught.</summary>
public sealed class AnswerCheckTests
{
    [Theory]
    [InlineData("{\"id\":\"user_1\",\"object\":\"user\"}", "required property 'has_image' missing")]
    [InlineData("{\"object\":\"instance\",\"id\":\"ins_1\",\"environment_type\":\"development\",\"allowed_origins\":null}", "required property 'workspace_id' missing")]
    [InlineData("{\"keys\":[],\"extra\":1}", "not in the schema")]
    [InlineData("{\"object\":\"total_count\",\"total_count\":\"12\"}", "the schema says integer")]
    public void ShapesTheSpecForbidsAreReported(string json, string expected)
    {
        var schema = json.Contains("\"user\"", StringComparison.Ordinal) ? "User"
            : json.Contains("instance", StringComparison.Ordinal) ? "Instance"
            : json.Contains("keys", StringComparison.Ordinal) ? "JWKS"
            : "TotalCount";
        using var doc = JsonDocument.Parse(json);

        var problems = ResponseSchema.Clerk.Check(ResponseSchema.Clerk.Named(schema), doc.RootElement);

        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
    }
}
