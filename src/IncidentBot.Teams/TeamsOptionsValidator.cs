using IncidentBot.Core.Escalation;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.People;
using IncidentBot.Core.Settings;

namespace IncidentBot.Teams;

/// <summary>
/// Teams: all or nothing (an app id without its password or tenant is a mistake, not "Teams off"), a GUID app id and
/// tenant (single-tenant registrations), absolute http(s) URLs, values in range, and the retired StoragePath refused.
/// With Teams on, someone who can be paged without a TeamsId is a warning (not an error, as a deployment with Slack
/// too may keep some people on Slack only): a page to them from a Teams incident goes straight to the next level.
/// </summary>
public sealed class TeamsOptionsValidator(Configured<RosterOptions> roster, Configured<EscalationOptions> escalation) : SettingsValidator<TeamsOptions>
{
    private const string Section = TeamsOptions.Section;

    public override IEnumerable<SettingsFinding> Check(TeamsOptions options)
    {
        if (options.StoragePath.Length > 0)
        {
            yield return SettingsFinding.Error($"{Section}:StoragePath is no longer used: Teams' conversation references now live in the storage file (Storage:Path); remove the setting (people the old file knew are reached again once they write to the bot or add it)");
        }

        var given = new (string Key, string Value, string What)[] { ("AppId", options.AppId, "MicrosoftAppId, the Azure Bot's Microsoft App ID"), ("AppPassword", options.AppPassword, "MicrosoftAppPassword, a client secret of the app registration"), ("TenantId", options.TenantId, "MicrosoftAppTenantId, the App Tenant ID of a single-tenant bot") };
        if (given.Any(g => g.Value.Length > 0))
        {
            var set = string.Join(" and ", given.Where(g => g.Value.Length > 0).Select(g => $"{Section}:{g.Key}"));
            foreach (var (key, _, what) in given.Where(g => g.Value.Length == 0))
            {
                yield return SettingsFinding.Error($"{Section}:{key} is empty but {set} {(set.Contains(" and ", StringComparison.Ordinal) ? "are" : "is")} set; Teams needs all three ({what})");
            }
        }

        if (options.AppId.Length > 0 && !Guid.TryParse(options.AppId, out _))
        {
            yield return SettingsFinding.Error($"{Section}:AppId is '{options.AppId}'; it must be the bot's Microsoft App ID (a GUID, Azure Bot, Configuration)");
        }

        if (options.TenantId.Length > 0 && !Guid.TryParse(options.TenantId, out _))
        {
            yield return SettingsFinding.Error($"{Section}:TenantId is '{options.TenantId}'; it must be the App Tenant ID (a GUID, Azure Bot, Configuration)");
        }

        if (!IsHttpUrl(options.OpenIdMetadataUrl))
        {
            yield return SettingsFinding.Error($"{Section}:OpenIdMetadataUrl is '{options.OpenIdMetadataUrl}'; it must be an absolute http(s) URL");
        }

        if (!IsHttpUrl(options.ResolvedTokenUrl))
        {
            yield return SettingsFinding.Error($"{Section}:TokenUrl is '{options.TokenUrl}'; it must be an absolute http(s) URL ({{TenantId}} is filled in)");
        }

        if (string.IsNullOrWhiteSpace(options.Scope))
        {
            yield return SettingsFinding.Error($"{Section}:Scope is empty; the Bot Connector's is https://api.botframework.com/.default");
        }

        if (options.IncidentChannelId.Length > 0 && !options.IncidentChannelId.StartsWith("19:", StringComparison.Ordinal))
        {
            yield return SettingsFinding.Error($"{Section}:IncidentChannelId is '{options.IncidentChannelId}'; it must be a Teams channel id (19:...@thread.tacv2)");
        }

        foreach (var (key, value, min, max) in new[]
        {
            ("ClockSkewSeconds", options.ClockSkewSeconds, 0, 600),
            ("KeyCacheHours", options.KeyCacheHours, 1, 24 * 5),
            ("KeyRefreshFloorSeconds", options.KeyRefreshFloorSeconds, 1, 3600),
            ("InvokeBudgetMilliseconds", options.InvokeBudgetMilliseconds, 100, 4500),
            ("MaxRetries", options.MaxRetries, 0, 10),
            ("MaxRetryDelaySeconds", options.MaxRetryDelaySeconds, 1, 300),
        })
        {
            if (value < min || value > max)
            {
                yield return SettingsFinding.Error($"{Section}:{key} is {value}; it must be between {min} and {max}");
            }
        }

        if (!options.Enabled)
        {
            yield break;
        }

        var people = roster.Value;
        var paged = Enum.GetValues<Severity>()
            .SelectMany(s => EscalationPolicies.Build(escalation.Value, people, s).Levels.SelectMany(l => l.People))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < people.People.Count; i++)
        {
            var person = people.People[i];
            if (paged.Contains(person.Name) && string.IsNullOrWhiteSpace(person.TeamsId))
            {
                yield return SettingsFinding.Warning($"Roster:People:{i}:TeamsId is empty, but {person.Name} can be paged and Teams is on; a page to them from a Teams incident can't be delivered and goes to the next level (their Entra object id: Azure portal, Users, Object ID)");
            }
        }
    }

    private static bool IsHttpUrl(string url) => Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Scheme is "https" or "http";
}
