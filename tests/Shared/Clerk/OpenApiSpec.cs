using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace IncidentBot.Tests.Support;

/// <summary>
/// Clerk's Backend API spec, read from the YAML file (paths, parameters, request bodies), so the sandbox can check
/// every request against it rather than against what the client's author believed (<see cref="ClerkContract"/>).
/// </summary>
public sealed class OpenApiSpec
{
    private static readonly Lazy<OpenApiSpec> Shared = new(() => new OpenApiSpec(File));

    /// <summary>The copy under tests/specs/clerk (tests/specs/SOURCES.md says where it came from).</summary>
    public static string File => Path.Combine(Repo.Specs, "clerk", "openapi-specs", "bapi", "2026-05-12.yml");

    private readonly YamlMappingNode _root;
    private readonly List<(string Template, Regex Pattern, int Params, YamlMappingNode Item)> _paths = [];

    public OpenApiSpec(string file)
    {
        var stream = new YamlStream();
        using (var reader = System.IO.File.OpenText(file))
        {
            stream.Load(reader);
        }

        _root = (YamlMappingNode)stream.Documents[0].RootNode;
        Version = Scalar(Map(_root, "info")!, "version")!;
        BasePath = new Uri(Scalar((YamlMappingNode)((YamlSequenceNode)_root["servers"])[0], "url")!).AbsolutePath;
        foreach (var (key, value) in Map(_root, "paths")!.Children)
        {
            var template = ((YamlScalarNode)key).Value!;
            var pattern = new Regex("^" + Regex.Replace(Regex.Escape(template), @"\\\{[^}]+}", "[^/]+") + "$");
            _paths.Add((template, pattern, template.Count(c => c == '{'), (YamlMappingNode)value));
        }
    }

    public static OpenApiSpec Clerk => Shared.Value;

    public string Version { get; }

    /// <summary>"/v1", from servers[0].url.</summary>
    public string BasePath { get; }

    /// <summary>The spec's path template a request path (with the base path) falls under, e.g. /users/{user_id}; null when none.</summary>
    public string? TemplateOf(string path) =>
        path.StartsWith(BasePath + "/", StringComparison.Ordinal)
            ? _paths.Where(p => p.Pattern.IsMatch(path[BasePath.Length..])).OrderBy(p => p.Params).Select(p => p.Template).FirstOrDefault()
            : null;

    /// <summary>What is wrong with a request, by the spec: empty when it is fine.</summary>
    public IReadOnlyList<string> Check(string method, string path, IReadOnlyList<KeyValuePair<string, string>> query, string? contentType, string body)
    {
        var problems = new List<string>();
        if (!path.StartsWith(BasePath + "/", StringComparison.Ordinal))
        {
            return [$"{method} {path}: not under {BasePath}"];
        }

        var relative = path[BasePath.Length..];
        var match = _paths.Where(p => p.Pattern.IsMatch(relative)).OrderBy(p => p.Params).FirstOrDefault();
        if (match.Item is null)
        {
            return [$"{method} {path}: no such path in the spec"];
        }

        if (Map(match.Item, method.ToLowerInvariant()) is not { } operation)
        {
            return [$"{method} {path}: {match.Template} has no {method} in the spec"];
        }

        var parameters = Parameters(match.Item).Concat(Parameters(operation)).ToList();
        var declared = parameters.Where(p => Scalar(p, "in") == "query").ToDictionary(p => Scalar(p, "name")!);
        foreach (var group in query.GroupBy(q => q.Key))
        {
            if (!declared.TryGetValue(group.Key, out var parameter))
            {
                problems.Add($"{method} {match.Template}: query parameter '{group.Key}' is not in the spec");
                continue;
            }

            var schema = Resolve(Map(parameter, "schema"));
            var type = schema is null ? null : Scalar(schema, "type");
            if (type != "array" && group.Count() > 1)
            {
                problems.Add($"{method} {match.Template}: '{group.Key}' is not an array but was sent {group.Count()} times");
            }

            var itemSchema = type == "array" ? Resolve(Map(schema!, "items")) : schema;
            foreach (var (_, value) in group)
            {
                problems.AddRange(CheckValue(method, match.Template, group.Key, itemSchema, value));
            }
        }

        problems.AddRange(declared.Values
            .Where(p => Scalar(p, "required") == "true" && query.All(q => q.Key != Scalar(p, "name")))
            .Select(p => $"{method} {match.Template}: required query parameter '{Scalar(p, "name")}' missing"));

        var requestBody = Resolve(Map(operation, "requestBody"));
        if (requestBody is null)
        {
            if (body.Length > 0)
            {
                problems.Add($"{method} {match.Template}: has no request body in the spec, but one was sent");
            }

            return problems;
        }

        if (body.Length == 0)
        {
            if (Scalar(requestBody, "required") == "true")
            {
                problems.Add($"{method} {match.Template}: request body is required");
            }

            return problems;
        }

        if (contentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true)
        {
            problems.Add($"{method} {match.Template}: body sent as '{contentType}', not application/json");
        }

        var bodySchema = Resolve(Map(Map(Map(requestBody, "content")!, "application/json")!, "schema"));
        try
        {
            using var json = JsonDocument.Parse(body);
            problems.AddRange(CheckObject(method, match.Template, bodySchema, json.RootElement));
        }
        catch (JsonException e)
        {
            problems.Add($"{method} {match.Template}: body is not JSON ({e.Message})");
        }

        return problems;
    }

    private IEnumerable<string> CheckObject(string method, string template, YamlMappingNode? schema, JsonElement value)
    {
        if (schema is null)
        {
            yield break;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            yield return $"{method} {template}: body is not a JSON object";
            yield break;
        }

        var properties = Map(schema, "properties");
        var names = properties?.Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToHashSet() ?? [];
        foreach (var property in value.EnumerateObject())
        {
            if (properties is not null && !names.Contains(property.Name))
            {
                yield return $"{method} {template}: body property '{property.Name}' is not in the spec";
                continue;
            }

            var propertySchema = Resolve(Map(properties!, property.Name));
            var type = propertySchema is null ? null : Scalar(propertySchema, "type");
            var ok = type switch
            {
                "array" => property.Value.ValueKind == JsonValueKind.Array
                    && (Scalar(propertySchema!, "minItems") is not { } min || property.Value.GetArrayLength() >= int.Parse(min))
                    && (Scalar(propertySchema!, "maxItems") is not { } max || property.Value.GetArrayLength() <= int.Parse(max)),
                "boolean" => property.Value.ValueKind is JsonValueKind.True or JsonValueKind.False
                    || (property.Value.ValueKind == JsonValueKind.Null && Scalar(propertySchema!, "nullable") == "true"),
                "string" => property.Value.ValueKind == JsonValueKind.String,
                "integer" => property.Value.ValueKind == JsonValueKind.Number,
                _ => true,
            };
            if (!ok)
            {
                yield return $"{method} {template}: body property '{property.Name}' does not fit its schema ({type})";
            }
        }

        if (schema.Children.TryGetValue(new YamlScalarNode("required"), out var required) && required is YamlSequenceNode list)
        {
            foreach (var name in list.Children.Select(n => ((YamlScalarNode)n).Value!))
            {
                if (!value.TryGetProperty(name, out _))
                {
                    yield return $"{method} {template}: required body property '{name}' missing";
                }
            }
        }
    }

    private static IEnumerable<string> CheckValue(string method, string template, string name, YamlMappingNode? schema, string value)
    {
        if (schema is null)
        {
            yield break;
        }

        switch (Scalar(schema, "type"))
        {
            case "integer":
                if (!long.TryParse(value, out var number))
                {
                    yield return $"{method} {template}: '{name}={value}' is not an integer";
                }
                else if ((Scalar(schema, "minimum") is { } min && number < long.Parse(min)) || (Scalar(schema, "maximum") is { } max && number > long.Parse(max)))
                {
                    yield return $"{method} {template}: '{name}={value}' is out of range";
                }

                break;
            case "boolean" when value is not ("true" or "false"):
                yield return $"{method} {template}: '{name}={value}' is not a boolean";
                break;
        }

        if (schema.Children.TryGetValue(new YamlScalarNode("enum"), out var values) && values is YamlSequenceNode allowed
            && allowed.Children.All(v => ((YamlScalarNode)v).Value != value))
        {
            yield return $"{method} {template}: '{name}={value}' is not one of its enum values";
        }
    }

    private IEnumerable<YamlMappingNode> Parameters(YamlMappingNode node) =>
        node.Children.TryGetValue(new YamlScalarNode("parameters"), out var list) && list is YamlSequenceNode sequence
            ? sequence.Children.Select(p => Resolve((YamlMappingNode)p)!)
            : [];

    private YamlMappingNode? Resolve(YamlMappingNode? node)
    {
        while (node is not null && Scalar(node, "$ref") is { } reference)
        {
            node = reference.TrimStart('#', '/').Split('/').Aggregate((YamlMappingNode?)_root, (n, part) => n is null ? null : Map(n, part));
        }

        return node;
    }

    private static YamlMappingNode? Map(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value as YamlMappingNode : null;

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? (value as YamlScalarNode)?.Value : null;
}
