using Npgsql;

namespace IncidentBot.Sync.Bench;

/// <summary>A throwaway database per benchmark run, holding the app's user table as Prisma creates it for the seed's model.</summary>
public static class BenchDatabase
{
    /// <summary>Creates the database and its <c>"User"</c> table (three unique indexes); its name and connection string.</summary>
    public static async Task<(string Name, string ConnectionString)> CreateAsync(string admin)
    {
        var name = "bench_" + Guid.NewGuid().ToString("N")[..12];
        await ExecAsync(admin, $"CREATE DATABASE {name}");
        var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = true }.ConnectionString;
        await ExecAsync(connectionString, """
            CREATE TABLE "User" ("id" TEXT NOT NULL PRIMARY KEY, "clerkId" TEXT NOT NULL, "email" TEXT NOT NULL, "firstName" TEXT, "lastName" TEXT,
                                 "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP, "updatedAt" TIMESTAMP(3) NOT NULL);
            CREATE UNIQUE INDEX "User_clerkId_key" ON "User"("clerkId");
            CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
            """);
        return (name, connectionString);
    }

    public static async Task DropAsync(string admin, string name)
    {
        NpgsqlConnection.ClearAllPools();
        await ExecAsync(admin, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    }

    public static async Task ExecAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
