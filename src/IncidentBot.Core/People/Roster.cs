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

    public Person? Find(string nameOrId)
    {
        var key = nameOrId.Trim().TrimStart('@');
        return People.FirstOrDefault(p =>
            string.Equals(p.Name, key, StringComparison.OrdinalIgnoreCase)
            || string.Equals(p.SlackId, key, StringComparison.Ordinal)
            || string.Equals(p.TeamsId, key, StringComparison.Ordinal)
            || string.Equals(p.Email, key, StringComparison.OrdinalIgnoreCase));
    }

    public IEnumerable<Person> WithRole(string role) =>
        People.Where(p => string.Equals(p.Role, role, StringComparison.OrdinalIgnoreCase));
}

/// <summary>Who is typing: the roster name when the bot knows them, else the platform's name and id.</summary>
public sealed record Actor(string Name, string? PlatformId = null)
{
    public static readonly Actor Bot = new("IncidentBot");
}
