using Microsoft.Extensions.Configuration;

namespace IncidentBot.Hosting;

/// <summary>
/// Reads <c>.env</c> if present and accepts the conventional variable names (SLACK_BOT_TOKEN, CLERK_SECRET_KEY, ...)
/// as aliases of their configuration keys. Precedence, lowest first: appsettings.json, .env, real environment
/// variables (aliases, then Section__Key), command line.
/// </summary>
public static class ConfigurationAliases
{
    public static readonly IReadOnlyDictionary<string, string> Aliases = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["SLACK_BOT_TOKEN"] = "Slack:BotToken",
        ["SLACK_SIGNING_SECRET"] = "Slack:SigningSecret",
        ["SLACK_APP_TOKEN"] = "Slack:AppToken",
        ["CLERK_SECRET_KEY"] = "Clerk:SecretKey",
        ["CLERK_WEBHOOK_SECRET"] = "Clerk:WebhookSecret",
        ["MicrosoftAppId"] = "Teams:AppId",
        ["MicrosoftAppPassword"] = "Teams:AppPassword",
        ["MicrosoftAppTenantId"] = "Teams:TenantId",
    };

    public static void Apply(IConfigurationManager configuration, string contentRoot, string[] args)
    {
        var dotEnv = ReadDotEnv(Path.Combine(contentRoot, ".env"));
        configuration.AddInMemoryCollection(Map(dotEnv));

        var environment = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(Aliases.ContainsKey)
            .ToDictionary(k => k, k => Environment.GetEnvironmentVariable(k) ?? "");
        configuration.AddInMemoryCollection(Map(environment));
        configuration.AddEnvironmentVariables();
        configuration.AddCommandLine(args);
    }

    public static Dictionary<string, string> ReadDotEnv(string path)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return values;
        }

        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith("export ", StringComparison.Ordinal))
            {
                line = line[7..].TrimStart();
            }

            var equals = line.IndexOf('=');
            if (equals <= 0)
            {
                continue;
            }

            var value = line[(equals + 1)..].Trim();
            if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0])
            {
                value = value[1..^1];
            }

            values[line[..equals].Trim()] = value;
        }

        return values;
    }

    private static IEnumerable<KeyValuePair<string, string?>> Map(IReadOnlyDictionary<string, string> variables) =>
        variables
            .Where(kv => kv.Value.Length > 0)
            .Select(kv => new KeyValuePair<string, string?>(
                Aliases.TryGetValue(kv.Key, out var key) ? key : kv.Key.Replace("__", ":", StringComparison.Ordinal),
                kv.Value));
}
