using System.Globalization;
using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace IncidentBot.Tests.Support;

/// <summary>
/// Checks an answer against the response schema the spec declares for its operation and status: types, nullable,
/// required properties, additionalProperties: false, enums, arrays and $ref, so the sandbox can't drift from Clerk's shapes.
/// </summary>
public sealed class ResponseSchema
{
    private static readonly Lazy<ResponseSchema> Shared = new(() => new ResponseSchema(OpenApiSpec.File));

    private readonly YamlMappingNode _root;

    private ResponseSchema(string file)
    {
        var stream = new YamlStream();
        using (var reader = System.IO.File.OpenText(file))
        {
            stream.Load(reader);
        }

        _root = (YamlMappingNode)stream.Documents[0].RootNode;
    }

    public static ResponseSchema Clerk => Shared.Value;

    /// <summary>The schema of a response: paths[template][method].responses[status] (its $ref resolved), application/json.</summary>
    public YamlMappingNode For(string method, string template, int status) =>
        Declared(method, template, status) ?? throw new InvalidOperationException($"{method} {template} declares no {status} JSON response");

    /// <summary>Like <see cref="For"/>, but null when the operation declares no JSON answer for that status.</summary>
    public YamlMappingNode? Declared(string method, string template, int status)
    {
        var operation = Map(Map(Map(_root, "paths")!, template)!, method.ToLowerInvariant())
            ?? throw new InvalidOperationException($"{method} {template} is not in the spec");
        var response = Resolve(Map(Map(operation, "responses")!, status.ToString(CultureInfo.InvariantCulture)));
        return response is null || Map(response, "content") is not { } content || Map(content, "application/json") is not { } json ? null : Resolve(Map(json, "schema"));
    }

    /// <summary>A named schema under components/schemas.</summary>
    public YamlMappingNode Named(string name) => Map(Map(Map(_root, "components")!, "schemas")!, name)!;

    public IReadOnlyList<string> Check(YamlMappingNode schema, JsonElement value, string at = "$")
    {
        var problems = new List<string>();
        Validate(Resolve(schema)!, value, at, problems);
        return problems;
    }

    private void Validate(YamlMappingNode schema, JsonElement value, string at, List<string> problems)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            if (Scalar(schema, "nullable") != "true" && Scalar(schema, "type") is not null)
            {
                problems.Add($"{at}: null, but the schema is not nullable");
            }

            return;
        }

        if (Seq(schema, "allOf") is { } all)
        {
            foreach (var part in all)
            {
                Validate(Resolve(part)!, value, at, problems);
            }
        }

        if ((Seq(schema, "oneOf") ?? Seq(schema, "anyOf")) is { } options)
        {
            var fits = options.Select(o =>
            {
                var p = new List<string>();
                Validate(Resolve(o)!, value, at, p);
                return p.Count;
            }).ToList();
            if (fits.All(n => n > 0))
            {
                problems.Add($"{at}: fits none of the oneOf/anyOf schemas");
            }
        }

        var type = Scalar(schema, "type");
        var ok = type switch
        {
            "object" => value.ValueKind == JsonValueKind.Object,
            "array" => value.ValueKind == JsonValueKind.Array,
            "string" => value.ValueKind == JsonValueKind.String,
            "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
            "number" => value.ValueKind == JsonValueKind.Number,
            "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            _ => true,
        };
        if (!ok)
        {
            problems.Add($"{at}: {value.ValueKind}, the schema says {type}");
            return;
        }

        if (Seq(schema, "enum") is { } values && value.ValueKind == JsonValueKind.String
            && values.All(v => ((YamlScalarNode)v).Value != value.GetString()))
        {
            problems.Add($"{at}: '{value.GetString()}' is not one of the enum values");
        }

        if (value.ValueKind == JsonValueKind.Array && Resolve(Map(schema, "items")) is { } items)
        {
            var i = 0;
            foreach (var item in value.EnumerateArray())
            {
                Validate(items, item, $"{at}[{i++}]", problems);
            }
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var properties = Map(schema, "properties");
        foreach (var property in value.EnumerateObject())
        {
            if (properties is not null && Map(properties, property.Name) is { } propertySchema)
            {
                Validate(Resolve(propertySchema)!, property.Value, $"{at}.{property.Name}", problems);
            }
            else if (properties is not null && Scalar(schema, "additionalProperties") == "false")
            {
                problems.Add($"{at}.{property.Name}: not in the schema (additionalProperties: false)");
            }
        }

        foreach (var name in Seq(schema, "required")?.Select(n => ((YamlScalarNode)n).Value!) ?? [])
        {
            if (!value.TryGetProperty(name, out _))
            {
                problems.Add($"{at}: required property '{name}' missing");
            }
        }
    }

    private YamlMappingNode? Resolve(YamlNode? node)
    {
        var map = node as YamlMappingNode;
        while (map is not null && Scalar(map, "$ref") is { } reference)
        {
            map = reference.TrimStart('#', '/').Split('/').Aggregate((YamlMappingNode?)_root, (n, part) => n is null ? null : Map(n, part));
        }

        return map;
    }

    private static YamlMappingNode? Map(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value as YamlMappingNode : null;

    private static IReadOnlyList<YamlNode>? Seq(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlSequenceNode s ? s.Children.ToList() : null;

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? (value as YamlScalarNode)?.Value : null;
}
