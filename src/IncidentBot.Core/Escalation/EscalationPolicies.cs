using IncidentBot.Core.Incidents;
using IncidentBot.Core.People;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IncidentBot.Core.Escalation;

/// <summary>
/// Turns the current configuration into the policy copy a new incident keeps. appsettings.json is reloaded when edited:
/// a valid edit applies to the next incident; an invalid one is logged and the last valid policy is used, so a typo in
/// the file never stops an incident from being declared and paged.
/// </summary>
public sealed class EscalationPolicies(
    IOptionsMonitor<EscalationOptions> options, IOptionsMonitor<RosterOptions> roster, ILogger<EscalationPolicies> log)
{
    private readonly Lock _gate = new();
    // Seeded with the values in force when the bot started, so an edit that makes roster and policy disagree (each
    // valid on its own) before the first page still pages with the start-up pair.
    private (EscalationOptions Options, RosterOptions Roster)? _lastGood = Agreeing(options.CurrentValue, roster.CurrentValue);

    public EscalationPolicy For(Severity severity)
    {
        var (current, people) = Current();
        return Build(current, people, severity);
    }

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

    private static (EscalationOptions, RosterOptions)? Agreeing(EscalationOptions options, RosterOptions roster) =>
        EscalationOptionsValidator.Problems(options, roster).Any() ? null : (options, roster);

    private (EscalationOptions, RosterOptions) Current()
    {
        lock (_gate)
        {
            try
            {
                var current = (options.CurrentValue, roster.CurrentValue);
                var problems = EscalationOptionsValidator.Problems(current.Item1, current.Item2).ToList();
                if (problems.Count > 0)
                {
                    throw new OptionsValidationException(EscalationOptions.Section, typeof(EscalationOptions), problems);
                }

                _lastGood = current;
                return current;
            }
            catch (OptionsValidationException e) when (_lastGood is { } good)
            {
                log.LogError("The edited configuration is invalid ({Problem}); new incidents keep the last valid escalation policy", e.Message);
                return good;
            }
        }
    }
}
