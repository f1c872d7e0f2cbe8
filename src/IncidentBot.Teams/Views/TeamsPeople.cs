using IncidentBot.Core.People;
using IncidentBot.Teams.Activities;
using Microsoft.Extensions.Options;

namespace IncidentBot.Teams.Views;

/// <summary>
/// Teams users and roster people: a person's <c>TeamsId</c> is their Entra object id (aadObjectId, stable across bots)
/// or their Teams id for this bot (29:...). A Teams user in the roster acts as that person; anyone else under their Teams name.
/// </summary>
public sealed class TeamsPeople(IOptionsMonitor<RosterOptions> roster)
{
    public Person? PersonOf(TeamsAccount account) =>
        roster.CurrentValue.People.FirstOrDefault(p => p.TeamsId is { Length: > 0 } id
            && (string.Equals(id, account.AadObjectId, StringComparison.OrdinalIgnoreCase) || string.Equals(id, account.Id, StringComparison.Ordinal)));

    public Person? Named(string personName) =>
        roster.CurrentValue.People.FirstOrDefault(p => string.Equals(p.Name, personName, StringComparison.OrdinalIgnoreCase));

    /// <summary>Who acts: the roster person (known to Core by their TeamsId), else the Teams name and id.</summary>
    public Actor ActorOf(TeamsAccount account) =>
        PersonOf(account) is { } person
            ? new Actor(person.Name, person.TeamsId)
            : new Actor(string.IsNullOrWhiteSpace(account.Name) ? account.Id : account.Name, account.AadObjectId ?? account.Id);

    /// <summary>The id to mention a roster person by (their TeamsId), or null when they have none.</summary>
    public string? TeamsIdOf(string personName) => Named(personName)?.TeamsId is { Length: > 0 } id ? id : null;
}
