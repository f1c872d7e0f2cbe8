using IncidentBot.Core.Escalation;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.People;
using IncidentBot.Core.Settings;

namespace IncidentBot.Slack;

/// <summary>
/// Slack: all or nothing (a bot token without its signing secret, or an app token without a bot token, is a mistake),
/// values in range, and when Slack is on, everyone who can be paged has a Slack id (else the page reaches nobody).
/// </summary>
public sealed class SlackOptionsValidator(Configured<RosterOptions> roster, Configured<EscalationOptions> escalation) : SettingsValidator<SlackOptions>
{
    public override IEnumerable<SettingsFinding> Check(SlackOptions options)
    {
        const string section = SlackOptions.Section;
        if (options.BotToken.Length > 0 && options.SigningSecret.Length == 0)
        {
            yield return SettingsFinding.Error($"{section}:SigningSecret is empty but {section}:BotToken is set; Slack needs both (SLACK_SIGNING_SECRET, from the app's Basic Information page)");
        }
        else if (options.BotToken.Length == 0 && (options.SigningSecret.Length > 0 || options.AppToken.Length > 0))
        {
            var other = options.SigningSecret.Length > 0 ? "SigningSecret" : "AppToken";
            yield return SettingsFinding.Error($"{section}:BotToken is empty but {section}:{other} is set; Slack needs the bot token too (SLACK_BOT_TOKEN, xoxb-...)");
        }

        if (options.BotToken.Length > 0 && !options.BotToken.StartsWith("xoxb-", StringComparison.Ordinal))
        {
            yield return SettingsFinding.Error($"{section}:BotToken does not start with xoxb-; use the Bot User OAuth Token (OAuth & Permissions)");
        }

        if (options.AppToken.Length > 0 && !options.AppToken.StartsWith("xapp-", StringComparison.Ordinal))
        {
            yield return SettingsFinding.Error($"{section}:AppToken does not start with xapp-; use an app-level token with connections:write (Basic Information)");
        }

        if (!Uri.TryCreate(options.ApiUrl, UriKind.Absolute, out var api) || api.Scheme is not ("http" or "https"))
        {
            yield return SettingsFinding.Error($"{section}:ApiUrl is '{options.ApiUrl}'; it must be an absolute http(s) URL");
        }

        if (string.IsNullOrWhiteSpace(options.ChannelNamePattern))
        {
            yield return SettingsFinding.Error($"{section}:ChannelNamePattern is empty; e.g. inc-{{date}}-{{title}}");
        }

        foreach (var (key, value, min, max) in new[]
        {
            ("SignatureToleranceSeconds", options.SignatureToleranceSeconds, 1, 3600),
            ("AckBudgetMilliseconds", options.AckBudgetMilliseconds, 100, 2900),
            ("MaxRateLimitRetries", options.MaxRateLimitRetries, 0, 10),
            ("MaxRetries", options.MaxRetries, 0, 10),
            ("CallTimeoutSeconds", options.CallTimeoutSeconds, 1, 300),
            ("MaxReconnectDelaySeconds", options.MaxReconnectDelaySeconds, 1, 600),
        })
        {
            if (value < min || value > max)
            {
                yield return SettingsFinding.Error($"{section}:{key} is {value}; it must be between {min} and {max}");
            }
        }

        foreach (var (category, visibility) in options.ChannelVisibility.Where(kv => kv.Value.Trim().ToLowerInvariant() is not ("private" or "public")))
        {
            yield return SettingsFinding.Error($"{section}:ChannelVisibility:{category} is '{visibility}'; use private or public");
        }

        var people = roster.Value;
        var held = people.People.Select(p => p.Role.Trim()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var role in options.InviteRoles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(r => !held.Contains(r)))
        {
            yield return SettingsFinding.Error($"{section}:InviteRoles names '{role}', a role nobody in Roster:People holds");
        }

        if (!options.Enabled)
        {
            yield break;
        }

        var paged = Enum.GetValues<Severity>()
            .SelectMany(s => EscalationPolicies.Build(escalation.Value, people, s).Levels.SelectMany(l => l.People))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < people.People.Count; i++)
        {
            var person = people.People[i];
            if (paged.Contains(person.Name) && string.IsNullOrWhiteSpace(person.SlackId))
            {
                yield return SettingsFinding.Error($"Roster:People:{i}:SlackId is empty, but {person.Name} can be paged and Slack is on; a page would reach nobody (find the id in Slack: profile, More, Copy member ID)");
            }
        }
    }
}
