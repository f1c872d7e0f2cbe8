using IncidentBot.Clerk.Api;

namespace IncidentBot.Sync.Sink;

/// <summary>The mapped fields of one user, as Clerk has them or as a table row has them.</summary>
public sealed record SyncUser(string ClerkId, string? Email, string? FirstName, string? LastName)
{
    /// <summary>The primary email is the address whose id is primary_email_address_id, not the first in the list.</summary>
    public static SyncUser From(ClerkUser user) => new(user.Id, user.PrimaryEmail, user.FirstName, user.LastName);
}

/// <summary>A row of the table: its mapped fields and whether it is soft-deleted.</summary>
public sealed record SyncRow(SyncUser User, bool Deleted);

/// <summary>
/// The order both sides are walked in: Unicode code point order, which is PostgreSQL's <c>COLLATE "C"</c> on a
/// UTF-8 database (byte order). Plain UTF-16 ordinal order differs from it only for surrogates against U+E000..U+FFFF.
/// </summary>
public static class ClerkIdOrder
{
    public static readonly IComparer<string> Comparer = Comparer<string>.Create(Compare);

    public static int Compare(string? a, string? b)
    {
        if (a is null || b is null)
        {
            return a is null ? (b is null ? 0 : -1) : 1;
        }

        var n = Math.Min(a.Length, b.Length);
        for (var i = 0; i < n; i++)
        {
            if (a[i] != b[i])
            {
                return Fix(a[i]) - Fix(b[i]);
            }
        }

        return a.Length - b.Length;
    }

    // Moves surrogates above U+E000..U+FFFF so UTF-16 units sort like code points.
    private static int Fix(char c) => c >= 0xE000 ? c - 0x800 : c >= 0xD800 ? c + 0x2000 : c;
}
