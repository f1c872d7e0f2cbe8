using System.Text.Json;
using IncidentBot.Sandbox;

namespace IncidentBot.Tests.Support;

/// <summary>
/// The contract between the bot and Clerk's Backend API, checked on the sandbox for every request and every answer:
/// requests by the spec (<see cref="OpenApiSpec"/>) and the headers Clerk expects, answers by the spec's response
/// schemas (<see cref="ResponseSchema"/>). One set of checks for the Clerk, Sync and Sandbox tests.
/// </summary>
public static class ClerkContract
{
    /// <summary>Plugs both checks into a sandbox; whatever fails lands in <see cref="ClerkSandbox.Violations"/>.</summary>
    public static ClerkSandbox Checked(this ClerkSandbox sandbox)
    {
        sandbox.Inspect = Request;
        sandbox.InspectAnswer = Answer;
        return sandbox;
    }

    /// <summary>What is wrong with a request the bot sent: its path, query and body by the spec, and Clerk's headers.</summary>
    public static IEnumerable<string> Request(SandboxRequest r)
    {
        var spec = OpenApiSpec.Clerk;
        foreach (var problem in spec.Check(r.Method, r.Path, r.Query, r.ContentType, r.Body))
        {
            yield return problem;
        }

        if (r.Headers.GetValueOrDefault("Clerk-API-Version") != spec.Version)
        {
            yield return $"{r.Method} {r.Path}: Clerk-API-Version is '{r.Headers.GetValueOrDefault("Clerk-API-Version")}', not {spec.Version}";
        }

        if (r.Query.Any(q => q.Key == "__clerk_api_version"))
        {
            yield return $"{r.Method} {r.Path}: sends the API version twice (header and query)";
        }

        if (r.Headers.GetValueOrDefault("User-Agent") is not { Length: > 0 })
        {
            yield return $"{r.Method} {r.Path}: no User-Agent";
        }
    }

    /// <summary>
    /// What is wrong with an answer the sandbox gave: a success in the schema the operation declares for its status
    /// (GET /sessions?paginated=true: {data: [Session], total_count}, as Clerk's SDKs read it), an error in Clerk's
    /// ClerkErrors shape whether or not the operation lists that status (429 and 503 come from Clerk's edge).
    /// </summary>
    public static IEnumerable<string> Answer(SandboxRequest r, string body)
    {
        var at = $"{r.Method} {r.Path} answered {r.Status}";
        if (OpenApiSpec.Clerk.TemplateOf(r.Path) is not { } template)
        {
            return r.Status == 404 ? [] : [$"{at}: not a path in the spec"];
        }

        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            return [$"{at}: not JSON ({e.Message})"];
        }

        using (json)
        {
            var schemas = ResponseSchema.Clerk;
            if (r.Status >= 400)
            {
                return Prefixed(at, schemas.Check(schemas.Named("ClerkErrors"), json.RootElement));
            }

            if (template == "/sessions" && r.Method == "GET" && r.Query.Any(q => q is { Key: "paginated", Value: "true" }))
            {
                return Prefixed(at, Paginated(schemas, json.RootElement));
            }

            return schemas.Declared(r.Method, template, r.Status) is { } schema
                ? Prefixed(at, schemas.Check(schema, json.RootElement))
                : [$"{at}: the spec declares no {r.Status} answer for {r.Method} {template}"];
        }
    }

    private static List<string> Paginated(ResponseSchema schemas, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array
            || !root.TryGetProperty("total_count", out var total) || !total.TryGetInt64(out _))
        {
            return ["$: not {data: [...], total_count: <integer>}"];
        }

        return data.EnumerateArray().SelectMany((item, i) => schemas.Check(schemas.Named("Session"), item, $"$.data[{i}]")).ToList();
    }

    private static IEnumerable<string> Prefixed(string at, IEnumerable<string> problems) => problems.Select(p => $"{at}: {p}").ToList();
}
