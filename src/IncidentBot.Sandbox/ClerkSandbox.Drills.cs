namespace IncidentBot.Sandbox;

/// <summary>The data side of the faults: changes to the population made as Clerk would make them.</summary>
public sealed partial class ClerkSandbox
{
    internal IReadOnlyList<string> DriftClerk(int signUps, int emailChanges)
    {
        var changed = new List<string>();
        lock (_gate)
        {
            var sessions = new List<SandboxSession>();
            for (var i = 0; i < signUps; i++)
            {
                var user = Population.NewUser(_random, Now + i, sessions, activeSessions: 1);
                _users[user.Id] = user;
                App.Deliver(user);
                changed.Add(user.Id);
            }

            foreach (var session in sessions)
            {
                _sessions[session.Id] = session;
            }

            foreach (var user in _users.Values.Where(u => !u.Banned && u.Emails.Count > 1 && !changed.Contains(u.Id)).OrderBy(u => u.Id, StringComparer.Ordinal).Take(emailChanges))
            {
                user.PrimaryEmailId = user.Emails.First(e => e.Id != user.PrimaryEmailId).Id;
                user.UpdatedAt = Now;
                App.Deliver(user);
                changed.Add(user.Id);
            }
        }

        return changed;
    }

    internal IReadOnlyList<string> PlantSuspicious(int count)
    {
        lock (_gate)
        {
            var victims = _users.Values.Where(u => !u.Banned && !u.Locked).OrderBy(u => u.Id, StringComparer.Ordinal)
                .Where((_, i) => i % 7 == 3).Take(count).ToList();
            foreach (var user in victims)
            {
                for (var i = 0; i < 2; i++)
                {
                    var session = new SandboxSession
                    {
                        Id = "sess_" + Population.Id(_random),
                        UserId = user.Id,
                        ClientId = "client_" + Population.Id(_random),
                        CreatedAt = Now - i * 60_000,
                        LastActiveAt = Now,
                        UpdatedAt = Now,
                        IpAddress = "100.64.13." + (37 + i).ToString(System.Globalization.CultureInfo.InvariantCulture),
                        City = "unknown (anonymising proxy)",
                        Country = "ZZ",
                        Browser = "curl",
                        Suspicious = true,
                    };
                    _sessions[session.Id] = session;
                }
            }

            return victims.Select(v => v.Id).ToList();
        }
    }
}
