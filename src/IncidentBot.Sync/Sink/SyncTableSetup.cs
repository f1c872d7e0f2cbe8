using IncidentBot.Sync.Gap;
using Npgsql;

namespace IncidentBot.Sync.Sink;

/// <summary>
/// Sets up the mapped table for a drill: creates it in Prisma's shape when it doesn't exist, counts rows that are not
/// among given Clerk ids (a drill never writes into a table holding anyone else's users), and upserts users. Never used
/// on the real Clerk path.
/// </summary>
public sealed class SyncTableSetup(SyncDatabase db)
{
    /// <summary>Creates the table (and the unique index on the Clerk id) if it isn't there; true when it was created.</summary>
    public async Task<bool> CreateIfMissingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using (var exists = new NpgsqlCommand("SELECT to_regclass(@name) IS NOT NULL", connection))
        {
            exists.Parameters.AddWithValue("name", db.Table.Qualified);
            if ((bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
            {
                return false;
            }
        }

        var t = db.Table;
        var c = t.Columns;
        var columns = new List<string>();
        if (t.HasId)
        {
            columns.Add($"{SyncTable.Quote(c.Id)} TEXT PRIMARY KEY");
        }

        columns.Add($"{t.ClerkId} TEXT NOT NULL");
        columns.AddRange(new[] { (t.HasEmail, c.Email), (t.HasFirstName, c.FirstName), (t.HasLastName, c.LastName) }.Where(x => x.Item1).Select(x => $"{SyncTable.Quote(x.Item2)} TEXT"));
        if (t.HasUpdatedAt)
        {
            columns.Add($"{SyncTable.Quote(c.UpdatedAt)} TIMESTAMP(3)");
        }

        if (t.HasSoftDelete)
        {
            columns.Add($"{SyncTable.Quote(c.SoftDelete)} TIMESTAMP(3)");
        }

        var index = SyncTable.Quote($"{t.Name}_{c.ClerkId}_key");
        await using var create = new NpgsqlCommand(
            $"CREATE TABLE {t.Qualified} ({string.Join(", ", columns)}); CREATE UNIQUE INDEX {index} ON {t.Qualified} ({t.ClerkId});", connection);
        await create.ExecuteNonQueryAsync(cancellationToken);
        return true;
    }

    /// <summary>Rows whose Clerk id is not one of <paramref name="clerkIds"/>.</summary>
    public async Task<long> CountOthersAsync(IReadOnlyCollection<string> clerkIds, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {db.Table.Qualified} WHERE NOT ({db.Table.ClerkId} = ANY(@ids))", connection);
        command.Parameters.AddWithValue("ids", clerkIds.ToArray());
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Writes <paramref name="users"/> as rows (inserted or brought up to date), in one transaction.</summary>
    public async Task UpsertAsync(IReadOnlyList<SyncUser> users, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var facts = await SyncGap.FactsAsync(db, cancellationToken);
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(db.Table.Upsert(facts), connection, transaction);
        command.Parameters.AddWithValue("ids", users.Select(u => u.ClerkId).ToArray());
        command.Parameters.AddWithValue("emails", users.Select(u => u.Email).ToArray());
        command.Parameters.AddWithValue("firsts", users.Select(u => u.FirstName).ToArray());
        command.Parameters.AddWithValue("lasts", users.Select(u => u.LastName).ToArray());
        command.Parameters.AddWithValue("keys", users.Select(_ => Guid.NewGuid().ToString("N")).ToArray());
        command.Parameters.AddWithValue("now", now.UtcDateTime);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }
}
