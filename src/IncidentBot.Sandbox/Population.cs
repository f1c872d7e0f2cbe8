namespace IncidentBot.Sandbox;

/// <summary>
/// Seeds a realistic population from a seeded <see cref="Random"/>: one to three emails each (the primary is not
/// always the first), zero to six active sessions plus some ended ones, a few banned and locked users.
/// </summary>
public static class Population
{
    private static readonly string[] First = ["Ada", "Ben", "Chloe", "Dmitri", "Elif", "Farah", "Goran", "Hana", "Ivan", "Jonas", "Kemi", "Lena", "Mateo", "Nora", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tariq", "Uma", "Viktor", "Wen", "Yara", "Zoe"];
    private static readonly string[] Last = ["Okafor", "Lindqvist", "Moreau", "Tanaka", "Novak", "Haddad", "Silva", "Kowalski", "Nguyen", "Fischer", "Rossi", "Petrov", "Murphy", "Sato", "Jansen"];
    private static readonly string[] Domains = ["example.com", "example.org", "example.net", "mail.example", "corp.example"];
    private static readonly (string City, string Country, string Ip)[] Places = [("Amsterdam", "NL", "198.51.100."), ("Berlin", "DE", "203.0.113."), ("Lisbon", "PT", "192.0.2."), ("Toronto", "CA", "198.51.100.")];
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static (List<SandboxUser> Users, List<SandboxSession> Sessions) Seed(SandboxOptions options)
    {
        var random = new Random(options.Seed);
        var users = new List<SandboxUser>();
        var sessions = new List<SandboxSession>();
        var epoch = options.Epoch.ToUnixTimeMilliseconds();
        for (var i = 0; i < options.Users; i++)
        {
            users.Add(NewUser(random, epoch - (long)(options.Users - i) * 3_600_000 - random.Next(3_600_000), sessions));
        }

        // A few banned (their sessions ended by the ban) and a few locked, as in any real instance.
        foreach (var user in users.Where(_ => random.NextDouble() < 0.03))
        {
            user.Banned = true;
            foreach (var s in sessions.Where(s => s.UserId == user.Id))
            {
                s.Status = "revoked";
            }
        }

        foreach (var user in users.Where(u => !u.Banned && random.NextDouble() < 0.02))
        {
            user.Locked = true;
        }

        return (users, sessions);
    }

    public static SandboxUser NewUser(Random random, long createdAt, List<SandboxSession> sessions, int? activeSessions = null)
    {
        var id = "user_" + Id(random);
        var first = First[random.Next(First.Length)];
        var last = Last[random.Next(Last.Length)];
        var count = 1 + random.Next(3);
        var emails = Enumerable.Range(0, count)
            .Select(n => new SandboxEmail("idn_" + Id(random), $"{first}.{last}{(n == 0 ? "" : n.ToString(System.Globalization.CultureInfo.InvariantCulture))}.{id[^4..]}@{Domains[random.Next(Domains.Length)]}".ToLowerInvariant()))
            .ToList();
        var user = new SandboxUser
        {
            Id = id,
            FirstName = first,
            LastName = last,
            Emails = emails,
            PrimaryEmailId = emails[random.Next(emails.Count)].Id,
            CreatedAt = createdAt,
            UpdatedAt = createdAt,
        };
        var active = activeSessions ?? random.Next(7);
        var ended = random.Next(3);
        for (var s = 0; s < active + ended; s++)
        {
            var place = Places[random.Next(Places.Length)];
            var at = createdAt + random.Next(1, 1000) * 60_000L;
            sessions.Add(new SandboxSession
            {
                Id = "sess_" + Id(random),
                UserId = id,
                ClientId = "client_" + Id(random),
                Status = s < active ? "active" : "ended",
                CreatedAt = at,
                LastActiveAt = at,
                UpdatedAt = at,
                City = place.City,
                Country = place.Country,
                IpAddress = place.Ip + random.Next(1, 254).ToString(System.Globalization.CultureInfo.InvariantCulture),
                Browser = random.Next(2) == 0 ? "Chrome" : "Firefox",
            });
        }

        user.LastSignInAt = sessions.Where(s => s.UserId == id).Select(s => (long?)s.CreatedAt).Max();
        user.LastActiveAt = user.LastSignInAt;
        return user;
    }

    /// <summary>27 characters like Clerk's ids (user_2abc...).</summary>
    public static string Id(Random random) =>
        "2" + new string(Enumerable.Range(0, 26).Select(_ => Alphabet[random.Next(Alphabet.Length)]).ToArray());
}
