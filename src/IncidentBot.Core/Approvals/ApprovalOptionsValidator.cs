using IncidentBot.Core.People;
using IncidentBot.Core.Settings;

namespace IncidentBot.Core.Approvals;

/// <summary>Approvals: every role named is held by someone in the roster, and the limits are positive.</summary>
public sealed class ApprovalOptionsValidator(Configured<RosterOptions> roster) : SettingsValidator<ApprovalOptions>
{
    public override IEnumerable<SettingsFinding> Check(ApprovalOptions options)
    {
        const string section = ApprovalOptions.Section;
        var held = roster.Value.People.Select(p => p.Role.Trim()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var roles = string.Join(", ", held.Order(StringComparer.Ordinal));
        var named = options.ApproverRoles.Select((role, i) => ($"{section}:ApproverRoles:{i}", role))
            .Concat(options.ActionRoles.SelectMany(kv => kv.Value.Select((role, i) => ($"{section}:ActionRoles:{kv.Key}:{i}", role))))
            .Concat(options.RequesterRoles.Select((role, i) => ($"{section}:RequesterRoles:{i}", role)));
        foreach (var (key, role) in named)
        {
            if (string.IsNullOrWhiteSpace(role))
            {
                yield return SettingsFinding.Error($"{key} is empty; name a roster role");
            }
            else if (!held.Contains(role.Trim()))
            {
                yield return SettingsFinding.Error($"{key} is '{role}', a role nobody in Roster:People holds (roles: {roles})");
            }
        }

        if (options.ApproverRoles.Count == 0 && !ApprovalOptions.DefaultApproverRoles.Any(held.Contains))
        {
            yield return SettingsFinding.Error($"{section}:ApproverRoles is not set and nobody holds the default roles ({string.Join(", ", ApprovalOptions.DefaultApproverRoles)}); nobody could approve");
        }

        foreach (var (key, value) in new[] { ("ExpiryMinutes", options.ExpiryMinutes), ("BypassReviewMinutes", options.BypassReviewMinutes), ("BypassReminderMinutes", options.BypassReminderMinutes) })
        {
            if (value <= 0)
            {
                yield return SettingsFinding.Error($"{section}:{key} is {value}; it must be at least 1 (minutes)");
            }
        }

        if (options.TwoApproversAbove < 0)
        {
            yield return SettingsFinding.Error($"{section}:TwoApproversAbove is {options.TwoApproversAbove}; it can't be negative");
        }
        else if (options.TwoApproversAbove == 0)
        {
            yield return SettingsFinding.Warning($"{section}:TwoApproversAbove is 0: every action touching a user needs two approvers");
        }
    }
}
