using IncidentBot.Sync.Gap;
using IncidentBot.Sync.Sink;
using Npgsql;
using NpgsqlTypes;

namespace IncidentBot.Sync.Resync;

/// <summary>What writing one batch did. Unchanged: users whose row was already right (not written at all).</summary>
public sealed record BatchOutcome(long Inserted, long Updated, long Unchanged, int Failed, IReadOnlyList<string> FailedExamples);

/// <summary>
/// Writes one batch of Clerk users into the table, as one transaction. The batch's rows are read first (one query by
/// Clerk id); a user whose row is already right is not written at all; missing users go in by binary <c>COPY</c> when
/// the table allows it (<see cref="SchemaFacts.CanCopy"/>), changed rows (and missing users otherwise) by
/// <c>INSERT ... ON CONFLICT DO UPDATE</c>. While the table is being filled (the last batch found none of its users)
/// the next batch is copied in without reading first. If the table refuses any of it (a row the app inserted meanwhile, a
/// duplicate email under a unique index, a NOT NULL email for a user without one) the transaction is rolled back
/// and the batch is written again, still one transaction, user by user under savepoints, counting the users the
/// table refuses. Either way the batch is committed, or not at all, before the caller saves its checkpoint.
/// </summary>
public sealed class ResyncBatchWriter(SyncDatabase db, TimeProvider time)
{
    /// <summary>
    /// The last batch found none of its users in the table (a table being filled): the next one is copied in without
    /// reading first. Only a guess: if any of its users has a row after all, the unique index on the Clerk id refuses
    /// the COPY, and the batch is written again the ordinary way.
    /// </summary>
    private volatile bool _tableLooksEmpty;

    public async Task<BatchOutcome> WriteAsync(IReadOnlyList<SyncUser> batch, SchemaFacts facts, int examples, CancellationToken cancellationToken)
    {
        if (_tableLooksEmpty && facts.CanCopy && await TryAsync(batch, facts, blind: true, cancellationToken) is { } copied)
        {
            return copied;
        }

        if (await TryAsync(batch, facts, blind: false, cancellationToken) is { } written)
        {
            _tableLooksEmpty = written.Inserted == batch.Count;
            return written;
        }

        _tableLooksEmpty = false;
        await using (var connection = await db.OpenAsync(cancellationToken))
        {
            return await WriteOneByOneAsync(connection, batch, facts, examples, cancellationToken);
        }
    }

    /// <summary>The batch in one transaction, or null when the table refused some of it (rolled back, nothing written).</summary>
    private async Task<BatchOutcome?> TryAsync(IReadOnlyList<SyncUser> batch, SchemaFacts facts, bool blind, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        try
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            BatchOutcome outcome;
            if (blind)
            {
                await CopyAsync(connection, [.. batch], facts, cancellationToken);
                outcome = new BatchOutcome(batch.Count, 0, 0, 0, []);
            }
            else
            {
                outcome = await WriteChangesAsync(connection, transaction, batch, facts, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            return outcome;
        }
        catch (PostgresException)
        {
            return null; // rolled back when the transaction is disposed
        }
    }

    private async Task<BatchOutcome> WriteChangesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<SyncUser> batch, SchemaFacts facts, CancellationToken cancellationToken)
    {
        var rows = await RowsAsync(connection, transaction, batch, facts, cancellationToken);
        var missing = new List<SyncUser>();
        var changed = new List<SyncUser>();
        foreach (var user in batch)
        {
            if (!rows.TryGetValue(user.ClerkId, out var row))
            {
                missing.Add(user);
            }
            else if (GapMerge.Differences(db.Table, user, row).Count > 0)
            {
                changed.Add(user);
            }
        }

        long inserted = 0, updated = 0;
        if (missing.Count > 0 && facts.CanCopy)
        {
            await CopyAsync(connection, missing, facts, cancellationToken);
            inserted += missing.Count;
            missing.Clear();
        }

        if (missing.Count + changed.Count > 0)
        {
            // A row changed or removed since it was read is still handled right: ON CONFLICT decides, and RETURNING counts.
            var (i, u) = await UpsertAsync(connection, transaction, [.. missing, .. changed], facts, cancellationToken);
            inserted += i;
            updated += u;
        }

        return new BatchOutcome(inserted, updated, batch.Count - inserted - updated, 0, []);
    }

    private async Task<Dictionary<string, SyncRow>> RowsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<SyncUser> batch, SchemaFacts facts, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(db.Table.SelectByIds(facts), connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string[]>("ids", batch.Select(u => u.ClerkId).ToArray()));
        var rows = new Dictionary<string, SyncRow>(batch.Count, StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetString(0);
            rows[id] = new SyncRow(new SyncUser(id, Text(reader, 1), Text(reader, 2), Text(reader, 3)), reader.GetBoolean(4));
        }

        return rows;
    }

    private async Task CopyAsync(NpgsqlConnection connection, List<SyncUser> users, SchemaFacts facts, CancellationToken cancellationToken)
    {
        var t = db.Table;
        var now = time.GetUtcNow();
        var (updatedAt, updatedAtType) = facts.UpdatedAtType == "timestamp with time zone"
            ? (now.UtcDateTime, NpgsqlDbType.TimestampTz)
            : (DateTime.SpecifyKind(now.UtcDateTime, DateTimeKind.Unspecified), NpgsqlDbType.Timestamp); // the session's zone is UTC
        var keys = t.HasId ? RowKeys.NewBatch(users.Count, now) : [];
        await using var import = await connection.BeginBinaryImportAsync(t.CopyIn, cancellationToken);
        for (var i = 0; i < users.Count; i++)
        {
            var user = users[i];
            await import.StartRowAsync(cancellationToken);
            await import.WriteAsync(user.ClerkId, NpgsqlDbType.Text, cancellationToken);
            await WriteTextAsync(import, t.HasEmail, user.Email, cancellationToken);
            await WriteTextAsync(import, t.HasFirstName, user.FirstName, cancellationToken);
            await WriteTextAsync(import, t.HasLastName, user.LastName, cancellationToken);
            if (t.HasUpdatedAt)
            {
                await import.WriteAsync(updatedAt, updatedAtType, cancellationToken);
            }

            if (t.HasId)
            {
                var key = keys[i];
                if (facts.IdType == "uuid")
                {
                    await import.WriteAsync(key, NpgsqlDbType.Uuid, cancellationToken);
                }
                else
                {
                    await import.WriteAsync(key.ToString("N"), NpgsqlDbType.Text, cancellationToken);
                }
            }
        }

        await import.CompleteAsync(cancellationToken);
    }

    private static async Task WriteTextAsync(NpgsqlBinaryImporter import, bool mapped, string? value, CancellationToken cancellationToken)
    {
        if (!mapped)
        {
            return;
        }

        if (value is null)
        {
            await import.WriteNullAsync(cancellationToken);
        }
        else
        {
            await import.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);
        }
    }

    private async Task<BatchOutcome> WriteOneByOneAsync(NpgsqlConnection connection, IReadOnlyList<SyncUser> batch, SchemaFacts facts, int examples, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        long inserted = 0, updated = 0;
        var failed = 0;
        var failures = new List<string>();
        foreach (var user in batch)
        {
            await transaction.SaveAsync("u", cancellationToken);
            try
            {
                var (i, u) = await UpsertAsync(connection, transaction, [user], facts, cancellationToken);
                inserted += i;
                updated += u;
                await transaction.ReleaseAsync("u", cancellationToken);
            }
            catch (PostgresException e)
            {
                await transaction.RollbackAsync("u", cancellationToken);
                failed++;
                if (failures.Count < examples)
                {
                    failures.Add($"{user.ClerkId}: {e.MessageText} (SQLSTATE {e.SqlState})");
                }
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return new BatchOutcome(inserted, updated, batch.Count - failed - inserted - updated, failed, failures);
    }

    private async Task<(long Inserted, long Updated)> UpsertAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<SyncUser> users, SchemaFacts facts, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var command = new NpgsqlCommand(db.Table.Upsert(facts), connection, transaction);
        command.Parameters.AddWithValue("ids", users.Select(u => u.ClerkId).ToArray());
        command.Parameters.AddWithValue("emails", users.Select(u => u.Email).ToArray());
        command.Parameters.AddWithValue("firsts", users.Select(u => u.FirstName).ToArray());
        command.Parameters.AddWithValue("lasts", users.Select(u => u.LastName).ToArray());
        command.Parameters.AddWithValue("keys", RowKeys.NewBatch(users.Count, now).Select(k => k.ToString("N")).ToArray());
        command.Parameters.AddWithValue("now", now.UtcDateTime);
        long inserted = 0, updated = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (reader.GetBoolean(0))
            {
                inserted++;
            }
            else
            {
                updated++;
            }
        }

        return (inserted, updated);
    }

    private static string? Text(NpgsqlDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
}
