using IncidentBot.Core.Incidents;
using IncidentBot.Core.People;
using Microsoft.Extensions.Options;

namespace IncidentBot.Core.Escalation;

/// <summary>Turns the current configuration into the policy copy a new incident keeps.</summary>
public sealed class EscalationPolicies(IOptionsMonitor<EscalationOptions> options, IOptionsMonitor<RosterOptions> roster)
{
    public EscalationPolicy For(Severity severity) => Build(options.CurrentValue, roster.CurrentValue, severity);

    public static EscalationPolicy Build(EscalationOptions options, RosterOptions roster, Severity severity)
    {
        var over = options.For(severity);
        var levels = over is { Levels.Count: > 0 } ? over.Levels : options.Levels.Count > 0 ? options.Levels : EscalationOptions.DefaultLevels();
        return new EscalationPolicy
        {
            Levels = levels.Select((level, i) => new PolicyLevel
            {
                Number = i + 1,
                Notify = [.. level.Notify],
                People = Resolve(roster, level.Notify),
                EscalateAfter = level.EscalateAfter,
            }).ToList(),
            Repeats = over?.Repeats ?? options.Repeats,
            StatusUpdateEvery = over?.StatusUpdateEvery ?? options.StatusUpdateEvery,
            CommanderReminderEvery = over?.CommanderReminderEvery ?? options.CommanderReminderEvery,
        };
    }

    /// <summary>Roster names for a level's targets: a target is a person's name, else a role (everyone holding it).</summary>
    public static List<string> Resolve(RosterOptions roster, IEnumerable<string> targets) =>
        targets
            .SelectMany(t => roster.People.FirstOrDefault(p => string.Equals(p.Name, t.Trim(), StringComparison.OrdinalIgnoreCase)) is { } person
                ? [person]
                : roster.WithRole(t.Trim()))
            .Select(p => p.Name)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
}
