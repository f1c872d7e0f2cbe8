using System.Text.Json.Nodes;
using Json.Schema;

namespace IncidentBot.Teams.Tests.Support;

/// <summary>One operation of the Connector API swagger: its verb, path template and the definition its body must follow.</summary>
public sealed record ConnectorOperation(string Method, string Template, string OperationId, string? BodyDefinition);

/// <summary>
/// The Bot Connector API v3.1 swagger (tests/specs/teams/connector-api/botframework-channel.swagger.json): finds the
/// operation a request is for and checks a body against its definition (the swagger's definitions, evaluated as JSON
/// Schema draft-07), plus that every top-level property of the body is one the definition declares.
/// </summary>
public sealed class ConnectorSpec
{
    private readonly List<ConnectorOperation> _operations = [];
    private readonly JsonObject _definitions;
    private readonly Dictionary<string, JsonSchema> _schemas = new(StringComparer.Ordinal);

    private ConnectorSpec(JsonObject swagger)
    {
        _definitions = (JsonObject)swagger["definitions"]!;
        foreach (var (path, operations) in (JsonObject)swagger["paths"]!)
        {
            foreach (var (method, operation) in (JsonObject)operations!)
            {
                var body = (operation!["parameters"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(p => (string?)p["in"] == "body");
                var definition = ((string?)body?["schema"]?["$ref"])?.Split('/')[^1];
                _operations.Add(new ConnectorOperation(method.ToUpperInvariant(), path, (string)operation["operationId"]!, definition));
            }
        }
    }

    public static ConnectorSpec Load() =>
        new((JsonObject)JsonNode.Parse(File.ReadAllText(Specs.File("connector-api/botframework-channel.swagger.json")))!);

    public IReadOnlyList<ConnectorOperation> Operations => _operations;

    /// <summary>The operation for a verb and a path (from /v3 on, its segments still percent-encoded), with the decoded path parameters.</summary>
    public (ConnectorOperation Operation, Dictionary<string, string> Parameters)? Match(string method, string encodedPath)
    {
        var segments = encodedPath.Trim('/').Split('/');
        foreach (var operation in _operations.Where(o => o.Method == method))
        {
            var template = operation.Template.Trim('/').Split('/');
            if (template.Length != segments.Length)
            {
                continue;
            }

            var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
            var matched = true;
            for (var i = 0; i < template.Length && matched; i++)
            {
                if (template[i].StartsWith('{'))
                {
                    parameters[template[i].Trim('{', '}')] = Uri.UnescapeDataString(segments[i]);
                }
                else
                {
                    matched = string.Equals(template[i], segments[i], StringComparison.Ordinal);
                }
            }

            if (matched)
            {
                return (operation, parameters);
            }
        }

        return null;
    }

    /// <summary>What is wrong with <paramref name="body"/> as a <paramref name="definition"/> (empty when nothing is).</summary>
    public IReadOnlyList<string> Check(string definition, JsonObject body)
    {
        var problems = new List<string>();
        var declared = (_definitions[definition]?["properties"] as JsonObject)?.Select(p => p.Key).ToHashSet(StringComparer.Ordinal) ?? [];
        problems.AddRange(body.Select(p => p.Key).Where(k => !declared.Contains(k)).Select(k => $"{definition} has no property '{k}'"));

        var result = Schema(definition).Evaluate(body, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (!result.IsValid)
        {
            problems.AddRange((result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{definition}{d.InstanceLocation}: {e.Value}")));
        }

        return problems;
    }

    private JsonSchema Schema(string definition)
    {
        lock (_schemas)
        {
            if (!_schemas.TryGetValue(definition, out var schema))
            {
                var root = new JsonObject
                {
                    ["$schema"] = "http://json-schema.org/draft-07/schema#",
                    ["$id"] = $"https://connector.test/{definition}.json",
                    ["$ref"] = $"#/definitions/{definition}",
                    ["definitions"] = _definitions.DeepClone(),
                };
                schema = JsonSchema.FromText(root.ToJsonString());
                _schemas[definition] = schema;
            }

            return schema;
        }
    }
}
