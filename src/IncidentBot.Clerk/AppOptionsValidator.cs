using IncidentBot.Core.Settings;

namespace IncidentBot.Clerk;

/// <summary>App: optional URLs; a webhook URL needs Clerk's webhook secret to sign the probe.</summary>
public sealed class AppOptionsValidator(Configured<ClerkOptions> clerk) : SettingsValidator<AppOptions>
{
    public override IEnumerable<SettingsFinding> Check(AppOptions options)
    {
        foreach (var (key, url) in new[] { ("HealthUrl", options.HealthUrl), ("WebhookUrl", options.WebhookUrl) })
        {
            if (url.Length > 0 && !ClerkOptionsValidator.IsHttp(url))
            {
                yield return SettingsFinding.Error($"{AppOptions.Section}:{key} is not an absolute http(s) URL (or empty)");
            }
        }

        if (options.WebhookUrl.Length > 0 && clerk.Value.WebhookSecret.Length == 0)
        {
            yield return SettingsFinding.Error($"{AppOptions.Section}:WebhookUrl is set but Clerk:WebhookSecret is empty (CLERK_WEBHOOK_SECRET); the webhook probe needs both");
        }
        else if (options.WebhookUrl.Length == 0 && clerk.Value.WebhookSecret.Length > 0)
        {
            yield return SettingsFinding.Error($"Clerk:WebhookSecret is set but {AppOptions.Section}:WebhookUrl is empty; the webhook probe needs both");
        }
    }
}
