using IncidentBot.Core.Incidents;
using IncidentBot.Core.People;
using IncidentBot.Core.Settings;
using Microsoft.Extensions.Options;

namespace IncidentBot.Core.Escalation;

/// <summary>Checks the Escalation section against the roster at start-up; each problem is one line naming its key.</summary>
public sealed class EscalationOptionsValidator(Configured<RosterOptions> roster) : SettingsValidator<EscalationOptions>
{
    public const int MaxRepeats = 10;

    public override IEnumerable<SettingsFinding> Check(EscalationOptions options) =>
        Problems(options, roster.Value).Select(SettingsFinding.Error).Concat(Surprises(options));

    /// <summary>Legal, but likely not meant: reminders switched off.</summary>
    private static IEnumerable<SettingsFinding> Surprises(EscalationOptions options)
    {
        if (options.StatusUpdateEvery == TimeSpan.Zero)
        {
            yield return SettingsFinding.Warning($"{EscalationOptions.Section}:StatusUpdateEvery is 00:00:00: rooms are never reminded to post a status update");
        }

        if (options.CommanderReminderEvery == TimeSpan.Zero)
        {
            yield return SettingsFinding.Warning($"{EscalationOptions.Section}:CommanderReminderEvery is 00:00:00: rooms are never reminded to name a commander");
        }
    }

    public static IEnumerable<string> Problems(EscalationOptions options, RosterOptions roster)
    {
        var section = EscalationOptions.Section;
        // Without configured levels the built-in chain is used: its roles must be in the roster too.
        var levels = options.Levels.Count > 0 ? options.Levels : EscalationOptions.DefaultLevels();
        foreach (var problem in LevelProblems($"{section}:Levels", levels, roster))
        {
            yield return problem;
        }

        foreach (var problem in Common(section, options.Repeats, options.StatusUpdateEvery, options.CommanderReminderEvery))
        {
            yield return problem;
        }

        foreach (var (key, over) in options.Severities)
        {
            var path = $"{section}:Severities:{key}";
            if (!SeverityText.TryParse(key, out _))
            {
                yield return $"{path}: '{key}' is not a severity; use Sev1, Sev2 or Sev3";
                continue;
            }

            foreach (var problem in LevelProblems($"{path}:Levels", over.Levels, roster))
            {
                yield return problem;
            }

            foreach (var problem in Common(path, over.Repeats, over.StatusUpdateEvery, over.CommanderReminderEvery))
            {
                yield return problem;
            }
        }
    }

    private static IEnumerable<string> LevelProblems(string path, List<EscalationLevelOptions> levels, RosterOptions roster)
    {
        for (var i = 0; i < levels.Count; i++)
        {
            var level = levels[i];
            if (level.Notify.Count == 0 || level.Notify.Any(string.IsNullOrWhiteSpace))
            {
                yield return $"{path}:{i}:Notify is empty; name roster people or roles (e.g. on-call)";
            }

            foreach (var target in level.Notify.Where(t => !string.IsNullOrWhiteSpace(t)))
            {
                if (EscalationPolicies.Resolve(roster, [target]).Count == 0)
                {
                    var roles = string.Join(", ", roster.People.Select(p => p.Role).Distinct(StringComparer.OrdinalIgnoreCase));
                    yield return $"{path}:{i}:Notify names '{target}', which is neither a person nor a role in the roster (roles: {roles})";
                }
            }

            if (level.EscalateAfter < TimeSpan.FromSeconds(1))
            {
                yield return $"{path}:{i}:EscalateAfter is {level.EscalateAfter}; it must be at least 00:00:01";
            }
        }
    }

    private static IEnumerable<string> Common(string path, int? repeats, TimeSpan? status, TimeSpan? commander)
    {
        if (repeats is < 0 or > MaxRepeats)
        {
            yield return $"{path}:Repeats is {repeats}; it must be between 0 and {MaxRepeats}";
        }

        if (status is { } s && s != TimeSpan.Zero && s < TimeSpan.FromSeconds(1))
        {
            yield return $"{path}:StatusUpdateEvery is {s}; use 00:00:00 to turn it off or at least 00:00:01";
        }

        if (commander is { } c && c != TimeSpan.Zero && c < TimeSpan.FromSeconds(1))
        {
            yield return $"{path}:CommanderReminderEvery is {c}; use 00:00:00 to turn it off or at least 00:00:01";
        }
    }
}
