using IncidentBot.Sandbox;

namespace IncidentBot.Drill;

/// <summary>The configuration that points every outgoing URL and secret of the bot at the sandbox, so the real code paths run.</summary>
public static class DrillSettings
{
    public static Dictionary<string, string?> For(ClerkSandbox sandbox, IConfiguration configuration)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Clerk:ApiUrl"] = sandbox.ApiUrl,
            ["Clerk:SecretKey"] = sandbox.Options.SecretKey,
            ["Clerk:StatusUrl"] = sandbox.StatusUrl,
            ["Clerk:WebhookSecret"] = sandbox.Options.WebhookSecret,
            // The sandbox's 503s carry Retry-After: 30, past this budget: an outage is reported at once, not retried for two minutes.
            ["Clerk:Retry:MaxTotalSeconds"] = "20",
            ["App:HealthUrl"] = sandbox.HealthUrl,
            ["App:WebhookUrl"] = sandbox.WebhookUrl,
        };

        foreach (var hook in configuration.GetSection("Hooks").GetChildren())
        {
            settings[$"Hooks:{hook.Key}:Url"] = sandbox.HookUrl(SandboxHook(hook.Key, hook["Bypass"]));
            settings[$"Hooks:{hook.Key}:Secret"] = sandbox.Options.HookSecret;
        }

        // Slack can only join a drill through a loopback emulator; otherwise it is off, like a fresh clone.
        if (!LoopbackOnlyHandler.IsLoopback(Uri.TryCreate(configuration["Slack:ApiUrl"] ?? "https://slack.com/api/", UriKind.Absolute, out var slack) ? slack : null))
        {
            settings["Slack:BotToken"] = "";
            settings["Slack:SigningSecret"] = "";
            settings["Slack:AppToken"] = "";
        }

        return settings;
    }

    /// <summary>Which of the sandbox app's switches a configured hook drives: by its Bypass setting, else by its name.</summary>
    public static string SandboxHook(string name, string? bypass) =>
        bypass?.ToLowerInvariant() switch
        {
            "on" => SandboxApp.BypassOn,
            "off" => SandboxApp.BypassOff,
            _ when name.Contains("pause", StringComparison.OrdinalIgnoreCase) => SandboxApp.PauseWebhooks,
            _ when name.Contains("resume", StringComparison.OrdinalIgnoreCase) => SandboxApp.ResumeWebhooks,
            _ => "other/" + name,
        };
}
