using System.Text.Json.Nodes;
using Json.Schema;

namespace IncidentBot.Teams.Tests.Support;

/// <summary>
/// The Adaptive Card 1.5 JSON schema (tests/specs/teams/adaptive-cards). Teams' own <c>msteams</c> property (mention
/// entities) is not in that schema and is removed before validating, as Microsoft's own sample needs too.
/// </summary>
public static class CardSchema
{
    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromFile(Specs.File("adaptive-cards/adaptive-card.schema.v1.5.json")));

    /// <summary>What is wrong with the card (empty when it is valid).</summary>
    public static IReadOnlyList<string> Problems(JsonObject card)
    {
        var copy = (JsonObject)card.DeepClone();
        copy.Remove("msteams");
        var result = Schema.Value.Evaluate(copy, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid
            ? []
            : (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")).ToList();
    }
}
