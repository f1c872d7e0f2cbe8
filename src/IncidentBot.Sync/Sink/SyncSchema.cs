using Npgsql;

namespace IncidentBot.Sync.Sink;

/// <summary>What the start-up check found: empty <see cref="Problems"/> when the mapping fits the table.</summary>
public sealed record SchemaReport(IReadOnlyList<string> Problems, SchemaFacts? Facts)
{
    public bool Ok => Problems.Count == 0;
}

/// <summary>
/// Checks the mapping against the database: the table and every mapped column exist, their types fit, the Clerk id
/// column has a unique index of its own (INSERT ... ON CONFLICT needs it), unmapped NOT NULL columns have defaults,
/// and the role may read and write the table. One exact sentence per problem, naming the setting to change.
/// </summary>
public static class SyncSchema
{
    private static readonly string[] TextTypes = ["text", "character varying", "character", "citext"];
    private static readonly string[] TimeTypes = ["timestamp without time zone", "timestamp with time zone"];

    public static async Task<SchemaReport> CheckAsync(SyncDatabase db, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var t = db.Table;
        var where = $"{SyncTable.Quote(t.Schema)}.{SyncTable.Quote(t.Name)}";
        if (t.Columns.ClerkId.Length == 0)
        {
            return new SchemaReport(["Sync:Columns:ClerkId is empty: the bot needs the column holding the Clerk user id."], null);
        }

        Dictionary<string, (string Type, bool Nullable, bool HasDefault)> columns;
        string? copyRefusal;
        try
        {
            await using var connection = await db.OpenAsync(cancellationToken);
            columns = await ColumnsAsync(connection, t, cancellationToken);
            if (columns.Count == 0)
            {
                return new SchemaReport([$"Sync:Table: table {where} does not exist (or this role can't see it)."], null);
            }

            CheckColumns(t, columns, where, problems);
            if (columns.ContainsKey(t.Columns.ClerkId) && !await HasUniqueIndexAsync(connection, t, cancellationToken))
            {
                problems.Add($"Sync:Columns:ClerkId: column \"{t.Columns.ClerkId}\" of {where} has no unique index of its own; resync's INSERT ... ON CONFLICT needs one. " +
                             $"Fix: CREATE UNIQUE INDEX ON {where} ({t.ClerkId});");
            }

            foreach (var privilege in new[] { "SELECT", "INSERT", "UPDATE" })
            {
                if (!await HasPrivilegeAsync(connection, where, privilege, cancellationToken))
                {
                    problems.Add($"Sync:ConnectionString: this role lacks {privilege} on {where}.");
                }
            }

            copyRefusal = await CopyRefusalAsync(connection, where, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new SchemaReport([$"Sync:ConnectionString: {db.Explain(e)}"], null);
        }

        var facts = new SchemaFacts(
            t.HasId && columns.TryGetValue(t.Columns.Id, out var id) ? id.Type : null,
            t.HasSoftDelete && columns.TryGetValue(t.Columns.SoftDelete, out var soft) ? soft.Type : null,
            t.HasUpdatedAt && columns.TryGetValue(t.Columns.UpdatedAt, out var updated) ? updated.Type : null,
            copyRefusal);
        if (problems.Count == 0)
        {
            db.Facts = facts;
        }

        return new SchemaReport(problems, problems.Count == 0 ? facts : null);
    }

    private static void CheckColumns(SyncTable t, Dictionary<string, (string Type, bool Nullable, bool HasDefault)> columns, string where, List<string> problems)
    {
        var c = t.Columns;
        var mapped = new List<(string Key, string Column, string[] Types, string Want)>
        {
            ("ClerkId", c.ClerkId, TextTypes, "text or varchar"),
            ("Email", c.Email, TextTypes, "text or varchar"),
            ("FirstName", c.FirstName, TextTypes, "text or varchar"),
            ("LastName", c.LastName, TextTypes, "text or varchar"),
            ("UpdatedAt", c.UpdatedAt, TimeTypes, "timestamp or timestamptz"),
            ("Id", c.Id, [.. TextTypes, "uuid"], "text, varchar or uuid"),
            ("SoftDelete", c.SoftDelete, [.. TimeTypes, "boolean"], "timestamp, timestamptz or boolean"),
        };
        foreach (var (key, column, types, want) in mapped.Where(m => m.Column.Length > 0))
        {
            if (!columns.TryGetValue(column, out var info))
            {
                problems.Add($"Sync:Columns:{key}: column \"{column}\" does not exist in {where}" + (key == "ClerkId" ? "." : "; set it empty if the table has no such column."));
            }
            else if (!types.Contains(info.Type))
            {
                problems.Add($"Sync:Columns:{key}: column \"{column}\" of {where} is {info.Type}; it must be {want}.");
            }
        }

        var names = mapped.Select(m => m.Column).Where(n => n.Length > 0).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, info) in columns.Where(x => !names.Contains(x.Key) && !x.Value.Nullable && !x.Value.HasDefault).OrderBy(x => x.Key, StringComparer.Ordinal))
        {
            problems.Add($"Column \"{name}\" of {where} is NOT NULL, has no default and is not mapped, so inserting a missing user would fail: " +
                         "give it a default in the database, or map it (Sync:Columns:Id for a key the bot should generate).");
        }
    }

    private static async Task<Dictionary<string, (string Type, bool Nullable, bool HasDefault)>> ColumnsAsync(NpgsqlConnection connection, SyncTable t, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT column_name, CASE WHEN data_type = 'USER-DEFINED' THEN udt_name ELSE data_type END,
                   is_nullable = 'YES', column_default IS NOT NULL OR is_identity = 'YES' OR is_generated = 'ALWAYS'
            FROM information_schema.columns WHERE table_schema = @schema AND table_name = @table
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("schema", t.Schema);
        command.Parameters.AddWithValue("table", t.Name);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var columns = new Dictionary<string, (string, bool, bool)>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            columns[reader.GetString(0)] = (reader.GetString(1), reader.GetBoolean(2), reader.GetBoolean(3));
        }

        return columns;
    }

    private static async Task<bool> HasUniqueIndexAsync(NpgsqlConnection connection, SyncTable t, CancellationToken cancellationToken)
    {
        // A unique index on exactly this column, not partial, not on an expression: what ON CONFLICT (column) infers.
        const string sql = """
            SELECT count(*) FROM pg_index i
            JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = i.indkey[0]
            WHERE n.nspname = @schema AND c.relname = @table AND a.attname = @column
              AND i.indisunique AND i.indnkeyatts = 1 AND i.indpred IS NULL AND i.indexprs IS NULL
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("schema", t.Schema);
        command.Parameters.AddWithValue("table", t.Name);
        command.Parameters.AddWithValue("column", t.Columns.ClerkId);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))! > 0;
    }

    /// <summary>
    /// Why binary COPY can't write missing users into the table, or null when it can: COPY FROM refuses a table whose
    /// row-level security applies to this role (the owner and superusers aren't subject to it unless it is forced).
    /// It needs nothing more than the INSERT privilege already checked (no TEMP: it writes into the table itself).
    /// </summary>
    private static async Task<string?> CopyRefusalAsync(NpgsqlConnection connection, string table, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT row_security_active(@table::regclass)", connection);
        command.Parameters.AddWithValue("table", table);
        return await command.ExecuteScalarAsync(cancellationToken) is true ? "row-level security applies to this role, and COPY FROM can't write under it" : null;
    }

    private static async Task<bool> HasPrivilegeAsync(NpgsqlConnection connection, string table, string privilege, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT has_table_privilege(@table, @privilege)", connection);
        command.Parameters.AddWithValue("table", table);
        command.Parameters.AddWithValue("privilege", privilege);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
