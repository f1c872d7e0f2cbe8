namespace IncidentBot.Core.People;

public sealed class Person
{
    public string Name { get; set; } = "";

    /// <summary>A role from the roster, e.g. on-call, engineering-lead, cto.</summary>
    public string Role { get; set; } = "";

    public string? SlackId { get; set; }

    public string? TeamsId { get; set; }

    public string? Email { get; set; }
}

/// <summary>The people the bot knows: who they are on each platform and what role they hold. Section <c>Roster</c>.</summary>
public sealed class RosterOptions
{
    public const string Section = "Roster";

    public List<Person> People { get; set; } = [];

    /// <summary>
    /// The person a name, platform id, email or <c>@mention</c> names; null for anyone else. An empty or blank key is
    /// nobody, and a person's empty field never matches anything: an unset TeamsId must not make "" someone.
    /// </summary>
    public Person? Find(string? nameOrId)
    {
        var key = Key(nameOrId);
        return key is null ? null : People.FirstOrDefault(p =>
            Matches(p.Name, key, StringComparison.OrdinalIgnoreCase)
            || Matches(p.SlackId, key, StringComparison.Ordinal)
            || Matches(p.TeamsId, key, StringComparison.Ordinal)
            || Matches(p.Email, key, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The person whose SlackId or TeamsId is <paramref name="platformId"/>; never by name or email (anyone can take those); empty is nobody.</summary>
    public Person? FindByPlatformId(string? platformId)
    {
        var key = string.IsNullOrWhiteSpace(platformId) ? null : platformId.Trim();
        return key is null ? null : People.FirstOrDefault(p => Matches(p.SlackId, key, StringComparison.Ordinal) || Matches(p.TeamsId, key, StringComparison.Ordinal));
    }

    /// <summary>
    /// Who acts, from what a chat platform says about them: a roster person under their roster name; anyone else under
    /// the name the platform showed followed by their platform id, <c>bob (U0EVIL)</c>, so a borrowed display name can
    /// never read as (or be taken for) a roster person's; without an id, nobody (an empty platform id).
    /// </summary>
    public Actor ActorFor(string? platformId, string? shownName)
    {
        var shown = string.IsNullOrWhiteSpace(shownName) ? null : shownName.Trim();
        if (string.IsNullOrWhiteSpace(platformId))
        {
            return new Actor($"{shown ?? "someone"} (no id)", "");
        }

        var id = platformId.Trim();
        if (FindByPlatformId(id) is { } person)
        {
            return new Actor(person.Name, id);
        }

        return new Actor(shown is null || shown == id ? id : $"{shown} ({id})", id);
    }

    /// <summary>
    /// Who an actor is, for comparing two of them (the requester and the approver, two approvers): the roster person
    /// their platform id (or, in the shell, roster name) belongs to, else the platform id itself. Null, nobody, without an id.
    /// Display names are never compared.
    /// </summary>
    public string? IdentityOf(Actor actor)
    {
        if (string.IsNullOrWhiteSpace(actor.PlatformId))
        {
            return null;
        }

        var person = FindByPlatformId(actor.PlatformId) ?? People.FirstOrDefault(p => Matches(p.Name, actor.PlatformId.Trim(), StringComparison.OrdinalIgnoreCase));
        return person is null ? "id:" + actor.PlatformId.Trim() : "person:" + person.Name.ToLowerInvariant();
    }

    /// <summary>True when both actors are known (have an id) and are the same person by <see cref="IdentityOf"/>.</summary>
    public bool SamePerson(Actor a, Actor b) => IdentityOf(a) is { } x && x == IdentityOf(b);

    public IEnumerable<Person> WithRole(string role) =>
        People.Where(p => string.Equals(p.Role, role, StringComparison.OrdinalIgnoreCase));

    private static string? Key(string? nameOrId)
    {
        var key = nameOrId?.Trim().TrimStart('@').Trim();
        return string.IsNullOrEmpty(key) ? null : key;
    }

    private static bool Matches(string? field, string key, StringComparison comparison) =>
        !string.IsNullOrWhiteSpace(field) && string.Equals(field.Trim(), key, comparison);
}

/// <summary>Who is typing: the roster name when the bot knows them, else the platform's name and id.</summary>
public sealed record Actor(string Name, string? PlatformId = null)
{
    public static readonly Actor Bot = new("IncidentBot");
}
