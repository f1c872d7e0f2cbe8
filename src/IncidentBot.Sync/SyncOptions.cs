namespace IncidentBot.Sync;

/// <summary>Section <c>Sync</c>: the app's own user table, which the bot compares with Clerk and repairs.</summary>
public sealed class SyncOptions
{
    public const string Section = "Sync";

    /// <summary>An Npgsql connection string. Empty: data sync is off. Never logged, never shown.</summary>
    public string ConnectionString { get; set; } = "";

    public string Schema { get; set; } = "public";

    /// <summary>Prisma's default for <c>model User</c>.</summary>
    public string Table { get; set; } = "User";

    public SyncColumns Columns { get; set; } = new();

    /// <summary>Users per Clerk page and per database transaction (1 to 500, Clerk's page limit).</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>
    /// Walks of Clerk's users at once in a resync (1 to 32), each over its own created_at range with its own cursor
    /// and checkpoint, each batch its own transaction. One cursor has one page in flight, so against Clerk's latency
    /// (a page of 500 in about 200 ms) one walk does about 2,500 users/s; eight come near 1,000 requests / 10 s.
    /// </summary>
    public int Walkers { get; set; } = 8;

    /// <summary>Where <c>sync.export</c> writes its snapshots, relative to the working directory.</summary>
    public string ExportPath { get; set; } = "data/exports";

    /// <summary>Where resync checkpoints are kept (one JSON file per request) when no LiteDB store is given.</summary>
    public string CheckpointPath { get; set; } = "data/sync-checkpoints";

    /// <summary>The shortest gap between two progress reports, in seconds.</summary>
    public double ProgressSeconds { get; set; } = 5;

    /// <summary>How many example ids a gap report lists per kind.</summary>
    public int Examples { get; set; } = 5;

    /// <summary>Users sorted in memory before a sorted run is spilled to a temporary file (bounds memory).</summary>
    public int SortRunSize { get; set; } = 50_000;

    public bool IsConfigured => ConnectionString.Length > 0;
}

/// <summary>
/// Column names in the table. Empty means "the table has no such column" (except <see cref="ClerkId"/>).
/// Columns not named here are left alone.
/// </summary>
public sealed class SyncColumns
{
    public string ClerkId { get; set; } = "clerkId";

    public string Email { get; set; } = "email";

    public string FirstName { get; set; } = "firstName";

    public string LastName { get; set; } = "lastName";

    /// <summary>Set to the sync's time on every insert and update (Prisma's <c>@updatedAt</c> is set by the client, not the database).</summary>
    public string UpdatedAt { get; set; } = "updatedAt";

    /// <summary>A primary key the database doesn't fill (Prisma's <c>@default(cuid())</c> is client-side): new rows get a random id.</summary>
    public string Id { get; set; } = "id";

    /// <summary>A timestamp or boolean column marking a row deleted; empty: the table has none.</summary>
    public string SoftDelete { get; set; } = "";
}
