using IncidentBot.Sandbox;
using IncidentBot.Sync.Tests.Support;
using Npgsql;
using NpgsqlTypes;

namespace IncidentBot.Sync.Tests.Sandbox;

/// <summary>
/// The app's user table as Prisma creates it, in one test database, next to a <see cref="ClerkSandbox"/>: create it,
/// fill it with some of the sandbox's users, read back every Clerk id. The support of the tests in this folder.
/// </summary>
public static class SandboxTable
{
    public static Task CreateAsync(TestDatabase database) => database.ExecAsync(SyncWorld.PrismaTable);

    /// <summary>Rows for <paramref name="users"/> as Clerk has them, with <paramref name="emailOf"/> overriding the email (stale rows).</summary>
    public static async Task FillAsync(TestDatabase database, IEnumerable<SandboxUser> users, Func<SandboxUser, string>? emailOf = null)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var import = await connection.BeginBinaryImportAsync("""COPY "User" ("id", "clerkId", "email", "firstName", "lastName", "updatedAt") FROM STDIN (FORMAT binary)""");
        foreach (var user in users)
        {
            await import.StartRowAsync();
            await import.WriteAsync("row_" + user.Id, NpgsqlDbType.Text);
            await import.WriteAsync(user.Id, NpgsqlDbType.Text);
            await import.WriteAsync(emailOf?.Invoke(user) ?? user.PrimaryEmail, NpgsqlDbType.Text);
            await import.WriteAsync(user.FirstName, NpgsqlDbType.Text);
            await import.WriteAsync(user.LastName, NpgsqlDbType.Text);
            await import.WriteAsync(new DateTime(2026, 1, 1), NpgsqlDbType.Timestamp);
        }

        await import.CompleteAsync();
    }

    /// <summary>Every row's Clerk id, as many times as it occurs.</summary>
    public static async Task<List<string>> ClerkIdsAsync(TestDatabase database)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""SELECT "clerkId" FROM "User" """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<string>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }
}
