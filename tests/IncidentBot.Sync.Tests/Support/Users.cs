using IncidentBot.Sandbox;
using IncidentBot.Sync.Sink;

namespace IncidentBot.Sync.Tests.Support;

/// <summary>
/// A population of Clerk users with ids shaped like Clerk's (user_ + 27 mixed-case base62 characters, so byte
/// order and a linguistic collation disagree), some with two emails, every 7th with its second email primary.
/// </summary>
public static class Users
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static List<string> Ids(int count, int seed = 42)
    {
        var random = new Random(seed);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var list = new List<string>(count);
        while (list.Count < count)
        {
            var id = "user_" + new string(Enumerable.Range(0, 27).Select(_ => Base62[random.Next(Base62.Length)]).ToArray());
            if (ids.Add(id))
            {
                list.Add(id);
            }
        }

        return list;
    }

    /// <summary>Adds the users to the sandbox and returns what the table should hold for each (its Clerk truth).</summary>
    /// <param name="createdAt">User i's created_at (Unix ms); by default a millisecond apart, in list order.</param>
    public static List<SyncUser> AddTo(ClerkSandbox sandbox, IReadOnlyList<string> ids, Func<int, long>? createdAt = null)
    {
        var truth = new List<SyncUser>(ids.Count);
        for (var i = 0; i < ids.Count; i++)
        {
            var id = ids[i];
            var twoEmails = i % 7 == 0 || i % 5 == 0;
            string[] emails = twoEmails ? [$"old{i}@example.com", $"u{i}@example.com"] : [$"u{i}@example.com"];
            var primary = i % 7 == 0 ? 1 : 0;
            var user = sandbox.AddUser(id, emails, primary, createdAt: createdAt?.Invoke(i));
            user.FirstName = "Emu"; // the name the tests' rows were written with (the sandbox's last name is the id)
            truth.Add(new SyncUser(id, user.PrimaryEmail, user.FirstName, user.LastName));
        }

        return truth;
    }
}
