using System.IO.Compression;
using System.Security.Cryptography;
using IncidentBot.Sync.Export;
using IncidentBot.Sync.Tests.Support;

namespace IncidentBot.Sync.Tests.Export;

[Collection(PostgresCollection.Name)]
public sealed class SyncExportTests(PostgresServer server)
{
    [PostgresFact]
    public async Task CommasQuotesLineBreaksAndNullsSurviveTheCsvAndTheChecksumIsTheFiles()
    {
        await using var world = await SyncWorld.StartAsync(server);
        await world.CreatePrismaTableAsync();
        await world.InsertRowsAsync(
        [
            new("user_B", "b@example.com", "Ann, \"Annie\"", "O'Neil\nSecond line"),
            new("user_a", "a@example.com", "", null),
        ]);

        var export = await new SyncExport(world.Db, world.Time).WriteAsync("INC-12", CancellationToken.None);
        var again = await new SyncExport(world.Db, world.Time).WriteAsync("INC-12", CancellationToken.None);

        Assert.Equal(2, export.Rows);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(export.Path))), export.Sha256);
        Assert.EndsWith("INC-12-users-20261128T180000Z-2.csv.gz", again.Path, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(world.Options.ExportPath, "*.partial"));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(export.Path));
        }
        await using var gzip = new GZipStream(File.OpenRead(export.Path), CompressionMode.Decompress);
        var csv = await new StreamReader(gzip).ReadToEndAsync();
        // Rows in Clerk id byte order (B before a); RFC 4180 quoting; NULL is an empty field, "" an empty string.
        Assert.Equal(
            "id,clerkId,email,firstName,lastName,createdAt,updatedAt\n" +
            "row0,user_B,b@example.com,\"Ann, \"\"Annie\"\"\",\"O'Neil\nSecond line\"," + CreatedAt(csv, 1) + ",2026-01-01 00:00:00\n" +
            "row1,user_a,a@example.com,\"\",," + CreatedAt(csv, 2) + ",2026-01-01 00:00:00\n",
            csv);
    }

    // createdAt is the database's CURRENT_TIMESTAMP: take it from the file, it isn't what is being tested.
    private static string CreatedAt(string csv, int row) =>
        System.Text.RegularExpressions.Regex.Matches(csv, @"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.?\d*(?=,2026-01-01)")[row - 1].Value;
}
