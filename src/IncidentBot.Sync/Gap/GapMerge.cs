using System.Data;
using System.Runtime.CompilerServices;
using IncidentBot.Sync.Sink;
using Npgsql;

namespace IncidentBot.Sync.Gap;

public enum GapKind
{
    Missing,
    Stale,
    Orphan,
}

/// <summary>One difference: a Clerk user missing from the table, a stale row (with the fields that differ), or an orphan row.</summary>
public sealed record GapItem(GapKind Kind, string ClerkId, SyncUser? Clerk, SyncRow? Row, IReadOnlyList<string> Fields);

/// <summary>
/// Merge join of Clerk's users (sorted by <see cref="SortedUsers"/>) and the table's rows, streamed from one query
/// ordered by <c>COLLATE "C"</c> in one read-only snapshot. Only the current row of each side is in memory.
/// </summary>
public static class GapMerge
{
    public static async IAsyncEnumerable<GapItem> DiffAsync(
        SyncDatabase db, SchemaFacts facts, SortedUsers clerk, Action<long>? countRows, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        await using var command = new NpgsqlCommand(db.Table.SelectOrdered(facts), connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await using var users = clerk.ReadAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);

        long rows = 0;
        var user = await users.MoveNextAsync() ? users.Current : null;
        var row = await NextRowAsync(reader, cancellationToken);
        string? lastRow = null;
        while (user is not null || row is not null)
        {
            var order = user is null ? 1 : row is null ? -1 : ClerkIdOrder.Compare(user.ClerkId, row.User.ClerkId);
            if (order < 0)
            {
                yield return new GapItem(GapKind.Missing, user!.ClerkId, user, null, []);
                user = await users.MoveNextAsync() ? users.Current : null;
                continue;
            }

            rows++;
            if (lastRow is not null && ClerkIdOrder.Compare(lastRow, row!.User.ClerkId) >= 0)
            {
                throw new SyncDatabaseException($"the table's rows did not come back in Clerk id order near {row.User.ClerkId}; is the database encoding UTF-8?");
            }

            lastRow = row!.User.ClerkId;
            if (order > 0)
            {
                if (!row.Deleted)
                {
                    yield return new GapItem(GapKind.Orphan, row.User.ClerkId, null, row, []);
                }
            }
            else
            {
                var fields = Differences(db.Table, user!, row);
                if (fields.Count > 0)
                {
                    yield return new GapItem(GapKind.Stale, user!.ClerkId, user, row, fields);
                }

                user = await users.MoveNextAsync() ? users.Current : null;
            }

            row = await NextRowAsync(reader, cancellationToken);
        }

        countRows?.Invoke(rows);
    }

    /// <summary>The mapped fields (column names) where the row differs from Clerk; "deleted" when the row is soft-deleted.</summary>
    public static IReadOnlyList<string> Differences(SyncTable table, SyncUser clerk, SyncRow row)
    {
        var fields = new List<string>();
        if (table.HasEmail && !string.Equals(clerk.Email, row.User.Email, StringComparison.Ordinal))
        {
            fields.Add(table.Columns.Email);
        }

        if (table.HasFirstName && !string.Equals(clerk.FirstName, row.User.FirstName, StringComparison.Ordinal))
        {
            fields.Add(table.Columns.FirstName);
        }

        if (table.HasLastName && !string.Equals(clerk.LastName, row.User.LastName, StringComparison.Ordinal))
        {
            fields.Add(table.Columns.LastName);
        }

        if (row.Deleted)
        {
            fields.Add("deleted");
        }

        return fields;
    }

    private static async Task<SyncRow?> NextRowAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new SyncRow(
            new SyncUser(reader.GetString(0), Text(reader, 1), Text(reader, 2), Text(reader, 3)),
            reader.GetBoolean(4));
    }

    private static string? Text(NpgsqlDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
}
