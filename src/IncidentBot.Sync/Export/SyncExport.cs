using System.Data;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using IncidentBot.Sync.Sink;
using Npgsql;

namespace IncidentBot.Sync.Export;

/// <summary>A written snapshot: where, how many rows, and the SHA-256 of the file as written (the .csv.gz bytes).</summary>
public sealed record ExportResult(string Path, long Rows, string Sha256, long Bytes);

/// <summary>
/// <c>sync.export</c>: the whole table (every column, mapped or not) as gzipped CSV, before anything changes it.
/// PostgreSQL writes the CSV itself (<c>COPY ... TO STDOUT (FORMAT csv, HEADER)</c>: RFC 4180 quoting of commas,
/// quotes and line breaks; NULL as an empty unquoted field, an empty string as <c>""</c>). The count and the copy
/// share one snapshot. The file appears under its final name only once it is complete.
/// </summary>
public sealed class SyncExport(SyncDatabase db, TimeProvider time)
{
    public async Task<ExportResult> WriteAsync(string incidentId, CancellationToken cancellationToken)
    {
        var folder = Path.GetFullPath(db.Options.ExportPath);
        Directory.CreateDirectory(folder);
        var stamp = time.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var name = $"{Safe(incidentId)}-users-{stamp}";
        var path = Path.Combine(folder, name + ".csv.gz");
        for (var n = 2; File.Exists(path); n++)
        {
            path = Path.Combine(folder, $"{name}-{n}.csv.gz");
        }

        var partial = path + ".partial";
        long rows;
        try
        {
            await using var connection = await db.OpenAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
            await using (var count = new NpgsqlCommand($"SELECT count(*) FROM {db.Table.Qualified}", connection, transaction))
            {
                rows = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
            }

            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 1 << 16 };
            if (!OperatingSystem.IsWindows())
            {
                create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite; // emails: readable by the bot's user only
            }

            await using (var file = new FileStream(partial, create))
            await using (var gzip = new GZipStream(file, CompressionLevel.Optimal))
            await using (var text = new StreamWriter(gzip))
            {
                var copy = $"COPY (SELECT * FROM {db.Table.Qualified} ORDER BY {db.Table.ClerkId} COLLATE \"C\") TO STDOUT WITH (FORMAT csv, HEADER true)";
                using var reader = await connection.BeginTextExportAsync(copy, cancellationToken);
                var buffer = new char[1 << 15];
                int read;
                while ((read = await reader.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    await text.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }

            await transaction.CommitAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException and not SyncDatabaseException)
        {
            File.Delete(partial);
            throw new SyncDatabaseException("the export failed: " + db.Explain(e));
        }
        catch
        {
            File.Delete(partial);
            throw;
        }

        File.Move(partial, path);
        string sha;
        await using (var written = File.OpenRead(path))
        {
            sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(written, cancellationToken));
        }

        return new ExportResult(path, rows, sha, new FileInfo(path).Length);
    }

    private static string Safe(string incidentId) =>
        string.Concat(incidentId.Select(c => char.IsAsciiLetterOrDigit(c) || c == '-' ? c : '_'));
}
