using Microsoft.Extensions.Options;
using Npgsql;

namespace IncidentBot.Sync.Sink;

/// <summary>
/// The app's database: one <see cref="NpgsqlDataSource"/> (sessions in UTC) and the mapped table's SQL names.
/// Every failure leaving here goes through <see cref="Explain"/>, which never carries the connection string.
/// </summary>
public sealed class SyncDatabase : IAsyncDisposable
{
    private readonly Lazy<NpgsqlDataSource> _source;
    private readonly string _connectionString;

    public SyncDatabase(IOptions<SyncOptions> options)
    {
        Options = options.Value;
        _connectionString = Options.ConnectionString;
        Table = new SyncTable(Options);
        _source = new Lazy<NpgsqlDataSource>(() =>
        {
            var builder = new NpgsqlConnectionStringBuilder(_connectionString) { Timezone = "UTC" };
            return NpgsqlDataSource.Create(builder);
        });
    }

    public SyncOptions Options { get; }

    public SyncTable Table { get; }

    public bool IsConfigured => Options.IsConfigured;

    /// <summary>Facts about the table learnt by the schema check (column types); null until it passed.</summary>
    public SchemaFacts? Facts { get; internal set; }

    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _source.Value.OpenConnectionAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new SyncDatabaseException("can't connect to the database: " + Explain(e));
        }
    }

    /// <summary>One line about a database failure, with the connection string and its password scrubbed out.</summary>
    public string Explain(Exception e)
    {
        var text = e switch
        {
            SyncDatabaseException s => s.Message,
            PostgresException p => $"{p.MessageText} (SQLSTATE {p.SqlState})",
            NpgsqlException { InnerException: { } inner } n => $"{n.Message}: {inner.Message}",
            _ => e.Message,
        };
        return Scrub(text);
    }

    internal string Scrub(string text)
    {
        if (_connectionString.Length > 0)
        {
            text = text.Replace(_connectionString, "***", StringComparison.Ordinal);
            string? password = null;
            try
            {
                password = new NpgsqlConnectionStringBuilder(_connectionString).Password;
            }
            catch (ArgumentException)
            {
                // A malformed connection string has no password to hide beyond the string itself.
            }

            if (!string.IsNullOrEmpty(password))
            {
                text = text.Replace(password, "***", StringComparison.Ordinal);
            }
        }

        return text;
    }

    public async ValueTask DisposeAsync()
    {
        if (_source.IsValueCreated)
        {
            await _source.Value.DisposeAsync();
        }
    }
}

/// <summary>A database problem explained in one line that is safe to show (no connection string).</summary>
public sealed class SyncDatabaseException(string message) : Exception(message);

/// <summary>
/// What the schema check learnt that the SQL needs. <see cref="CopyRefusal"/>: why missing users can't be written by
/// binary <c>COPY</c> into the table (null: they can; the resync then falls back to <c>INSERT ... ON CONFLICT</c>).
/// </summary>
public sealed record SchemaFacts(string? IdType, string? SoftDeleteType, string? UpdatedAtType = null, string? CopyRefusal = "the schema check did not look")
{
    public bool SoftDeleteIsBoolean => SoftDeleteType == "boolean";

    public bool CanCopy => CopyRefusal is null;

    /// <summary>How a resync writes, in one sentence for the start-up log.</summary>
    public string WritePath => CanCopy
        ? "resync reads each batch's rows first, skips the ones already right, writes missing users by binary COPY and changed ones by INSERT ... ON CONFLICT"
        : $"resync reads each batch's rows first, skips the ones already right and writes the others by INSERT ... ON CONFLICT ({CopyRefusal})";
}
