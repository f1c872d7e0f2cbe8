using IncidentBot.Core.Settings;

namespace IncidentBot.Core.People;

/// <summary>Roster: at least one person, each with a name and a role, no name twice, no platform id shared.</summary>
public sealed class RosterOptionsValidator : SettingsValidator<RosterOptions>
{
    public override IEnumerable<SettingsFinding> Check(RosterOptions options)
    {
        const string people = RosterOptions.Section + ":People";
        if (options.People.Count == 0)
        {
            yield return SettingsFinding.Error($"{people} is empty; name at least one person with a Name and a Role");
        }

        var names = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.People.Count; i++)
        {
            var person = options.People[i];
            if (string.IsNullOrWhiteSpace(person.Name))
            {
                yield return SettingsFinding.Error($"{people}:{i}:Name is empty; every person needs a name");
            }
            else if (!names.TryAdd(person.Name.Trim(), i))
            {
                yield return SettingsFinding.Error($"{people}:{i}:Name is '{person.Name}', the same as {people}:{names[person.Name.Trim()]}:Name; names must differ");
            }

            if (string.IsNullOrWhiteSpace(person.Role))
            {
                yield return SettingsFinding.Error($"{people}:{i}:Role is empty; every person needs a role (e.g. on-call)");
            }
        }

        foreach (var (key, id) in new[] { ("SlackId", (Func<Person, string?>)(p => p.SlackId)), ("TeamsId", p => p.TeamsId), ("Email", p => p.Email) })
        {
            foreach (var twice in options.People.Select((p, i) => (Id: id(p)?.Trim(), Index: i)).Where(x => !string.IsNullOrEmpty(x.Id)).GroupBy(x => x.Id!, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            {
                var second = twice.Skip(1).First();
                yield return SettingsFinding.Error($"{people}:{second.Index}:{key} is '{twice.Key}', the same as {people}:{twice.First().Index}:{key}; one id is one person");
            }
        }
    }
}
