namespace IncidentBot.Sync.Sink;

/// <summary>The mapped table's quoted names and the SQL built from them (identifiers quoted, values always parameters).</summary>
public sealed class SyncTable(SyncOptions options)
{
    private readonly SyncColumns _c = options.Columns;

    public string Schema => options.Schema;

    public string Name => options.Table;

    /// <summary>schema."Table", quoted.</summary>
    public string Qualified => $"{Quote(options.Schema)}.{Quote(options.Table)}";

    public string ClerkId => Quote(_c.ClerkId);

    public bool HasEmail => _c.Email.Length > 0;

    public bool HasFirstName => _c.FirstName.Length > 0;

    public bool HasLastName => _c.LastName.Length > 0;

    public bool HasUpdatedAt => _c.UpdatedAt.Length > 0;

    public bool HasId => _c.Id.Length > 0;

    public bool HasSoftDelete => _c.SoftDelete.Length > 0;

    public SyncColumns Columns => _c;

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>Every row with a Clerk id, mapped fields and deletion mark, in code point order of the Clerk id.</summary>
    public string SelectOrdered(SchemaFacts facts) =>
        $"SELECT {ClerkId}, {Or(HasEmail, _c.Email)}, {Or(HasFirstName, _c.FirstName)}, {Or(HasLastName, _c.LastName)}, {DeletedExpression(facts)} " +
        $"FROM {Qualified} WHERE {ClerkId} IS NOT NULL ORDER BY {ClerkId} COLLATE \"C\"";

    /// <summary>
    /// The rows of the Clerk ids in @ids, with the same columns as <see cref="SelectOrdered"/>, in no particular order.
    /// One index probe per id, whatever the table's statistics say: given 500 ids as <c>= ANY(@ids)</c> or a join, the
    /// planner scanned the whole table (60 ms at 100,000 rows, and worse while a resync fills an empty table whose
    /// statistics say it is empty) instead of probing the unique index (9 ms). A LATERAL lookup per id can't be a scan.
    /// </summary>
    public string SelectByIds(SchemaFacts facts) =>
        $"SELECT r.* FROM unnest(@ids::text[]) AS k(clerk_id) CROSS JOIN LATERAL (" +
        $"SELECT t.{ClerkId}, {Or(HasEmail, _c.Email, "t")}, {Or(HasFirstName, _c.FirstName, "t")}, {Or(HasLastName, _c.LastName, "t")}, {DeletedExpression(facts, "t")} " +
        $"FROM {Qualified} AS t WHERE t.{ClerkId} = k.clerk_id LIMIT 1) AS r";

    /// <summary>The columns a new row gets, in the order <see cref="CopyIn"/> names them: Clerk id, mapped fields, updated-at, id.</summary>
    public IReadOnlyList<string> InsertedColumns =>
        new[] { (true, _c.ClerkId), (HasEmail, _c.Email), (HasFirstName, _c.FirstName), (HasLastName, _c.LastName), (HasUpdatedAt, _c.UpdatedAt), (HasId, _c.Id) }
            .Where(x => x.Item1).Select(x => x.Item2).ToList();

    /// <summary>Binary COPY of new rows into the table (the columns of <see cref="InsertedColumns"/>).</summary>
    public string CopyIn => $"COPY {Qualified} ({string.Join(", ", InsertedColumns.Select(Quote))}) FROM STDIN (FORMAT binary)";

    /// <summary>SQL true when the row is soft-deleted (false when the table has no such column).</summary>
    public string DeletedExpression(SchemaFacts facts, string? alias = null)
    {
        if (!HasSoftDelete)
        {
            return "false";
        }

        var column = (alias is null ? "" : alias + ".") + Quote(_c.SoftDelete);
        return facts.SoftDeleteIsBoolean ? $"coalesce({column}, false)" : $"({column} IS NOT NULL)";
    }

    /// <summary>
    /// Upserts a batch given as arrays (@ids, @emails, @firsts, @lasts, @keys, @now); a row already equal is not
    /// touched. Returns one row per insert or update: true for an insert.
    /// </summary>
    public string Upsert(SchemaFacts facts)
    {
        var columns = new List<string> { ClerkId };
        var values = new List<string> { "u.clerk_id" };
        var set = new List<string>();
        var differs = new List<string>();
        void Map(bool has, string column, string value)
        {
            if (has)
            {
                columns.Add(Quote(column));
                values.Add(value);
                set.Add($"{Quote(column)} = EXCLUDED.{Quote(column)}");
                differs.Add($"t.{Quote(column)} IS DISTINCT FROM EXCLUDED.{Quote(column)}");
            }
        }

        Map(HasEmail, _c.Email, "u.email");
        Map(HasFirstName, _c.FirstName, "u.first_name");
        Map(HasLastName, _c.LastName, "u.last_name");
        if (HasUpdatedAt)
        {
            columns.Add(Quote(_c.UpdatedAt));
            values.Add("@now");
            set.Add($"{Quote(_c.UpdatedAt)} = EXCLUDED.{Quote(_c.UpdatedAt)}");
        }

        if (HasId)
        {
            columns.Add(Quote(_c.Id));
            values.Add(facts.IdType == "uuid" ? "u.key::uuid" : "u.key");
        }

        if (HasSoftDelete)
        {
            set.Add($"{Quote(_c.SoftDelete)} = {(facts.SoftDeleteIsBoolean ? "false" : "NULL")}");
            differs.Add(DeletedExpression(facts, "t"));
        }

        var where = differs.Count == 0 ? "false" : string.Join(" OR ", differs);
        return $"INSERT INTO {Qualified} AS t ({string.Join(", ", columns)}) " +
               $"SELECT {string.Join(", ", values)} FROM unnest(@ids::text[], @emails::text[], @firsts::text[], @lasts::text[], @keys::text[]) AS u(clerk_id, email, first_name, last_name, key) " +
               $"ON CONFLICT ({ClerkId}) DO UPDATE SET {string.Join(", ", set)} WHERE {where} " +
               "RETURNING (xmax = 0)";
    }

    /// <summary>Deletes (or marks deleted) the rows whose Clerk id is in @ids; returns how many changed.</summary>
    public string RemoveOrphans(SchemaFacts facts, bool soft) => soft
        ? $"UPDATE {Qualified} AS t SET {Quote(_c.SoftDelete)} = {(facts.SoftDeleteIsBoolean ? "true" : "@now")}" +
          (HasUpdatedAt ? $", {Quote(_c.UpdatedAt)} = @now" : "") +
          $" WHERE {ClerkId} = ANY(@ids) AND NOT {DeletedExpression(facts, "t")}"
        : $"DELETE FROM {Qualified} WHERE {ClerkId} = ANY(@ids)";

    private static string Or(bool has, string column, string? alias = null) => has ? (alias is null ? "" : alias + ".") + Quote(column) : "NULL::text";
}
