using IncidentBot.Clerk;
using IncidentBot.Clerk.Api;
using IncidentBot.Clerk.Http;
using IncidentBot.Sandbox;
using IncidentBot.Sync.Sink;
using IncidentBot.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using NpgsqlTypes;

namespace IncidentBot.Sync.Tests.Support;

/// <summary>
/// One test's world: its own database, Clerk as the embedded sandbox on 127.0.0.1 (every request and answer checked against the spec),
/// the project's real Clerk client (rate limiter, retry handler) and a fake clock.
/// </summary>
public sealed class SyncWorld : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 28, 18, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _services;

    private SyncWorld(TestDatabase database, ClerkSandbox emulator, FakeTimeProvider time, ServiceProvider services, SyncOptions options, string folder)
    {
        Database = database;
        Emulator = emulator;
        Time = time;
        _services = services;
        Options = options;
        Folder = folder;
        Db = new SyncDatabase(Microsoft.Extensions.Options.Options.Create(options));
    }

    public TestDatabase Database { get; }

    /// <summary>Clerk: the sandbox (the name is the old test emulator's, which the sandbox replaced).</summary>
    public ClerkSandbox Emulator { get; }

    public FakeTimeProvider Time { get; }

    public SyncOptions Options { get; }

    public SyncDatabase Db { get; }

    /// <summary>A temporary folder for exports and checkpoints, deleted afterwards.</summary>
    public string Folder { get; }

    public IClerkClient Clerk => _services.GetRequiredService<IClerkClient>();

    public ClerkRateLimiter Limiter => _services.GetRequiredService<ClerkRateLimiter>();

    public static async Task<SyncWorld> StartAsync(
        PostgresServer server, Action<SyncOptions>? configure = null, int clerkRequestsPer10s = 1_000_000, double headroom = 1, Action<SandboxOptions>? sandbox = null)
    {
        var database = await server.CreateDatabaseAsync();
        var time = new FakeTimeProvider(Start);
        var emulator = await TestSandbox.StartAsync(time, sandbox);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Clerk:ApiUrl"] = emulator.ApiUrl,
            ["Clerk:SecretKey"] = TestSandbox.SecretKey,
            ["Clerk:RateLimit:TestRequests"] = clerkRequestsPer10s.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Clerk:RateLimit:Headroom"] = headroom.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddLogging();
        services.AddClerk(configuration);
        var counter = new ClientInFlight();
        // Innermost, after the rate limiter: counts a request from the moment it has its permit until its answer.
        counter.CountOn(services);
        var folder = Directory.CreateTempSubdirectory("incidentbot-sync-test-").FullName;
        var options = new SyncOptions
        {
            ConnectionString = database.ConnectionString,
            ExportPath = Path.Combine(folder, "exports"),
            CheckpointPath = Path.Combine(folder, "checkpoints"),
        };
        configure?.Invoke(options);
        return new SyncWorld(database, emulator, time, services.BuildServiceProvider(), options, folder) { _inFlight = counter };
    }

    private ClientInFlight _inFlight = new();

    /// <summary>The table holds exactly these Clerk ids, each once.</summary>
    public async Task AssertEveryUserOnceAsync(IEnumerable<string> expected)
    {
        var ids = await ClerkIdsAsync();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(expected.Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// Runs <paramref name="work"/>, moving the fake clock on only while no Clerk request is between its rate-limit
    /// permit and its answer, so the limiter's waits pass in fake time and both sides see each request at one time.
    /// </summary>
    public async Task<T> DriveAsync<T>(Task<T> work)
    {
        await _inFlight.DriveAsync(work, Emulator, Time, TimeSpan.FromMilliseconds(500));
        return await work;
    }

    /// <summary>The table exactly as Prisma's migration creates it for the seed's User model.</summary>
    public const string PrismaTable = """
        CREATE TABLE "User" (
            "id" TEXT NOT NULL,
            "clerkId" TEXT NOT NULL,
            "email" TEXT NOT NULL,
            "firstName" TEXT,
            "lastName" TEXT,
            "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
            "updatedAt" TIMESTAMP(3) NOT NULL,
            CONSTRAINT "User_pkey" PRIMARY KEY ("id"));
        CREATE UNIQUE INDEX "User_clerkId_key" ON "User"("clerkId");
        CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
        """;

    public Task CreatePrismaTableAsync() => Database.ExecAsync(PrismaTable);

    /// <summary>Rows into the Prisma table, fast (binary COPY).</summary>
    public async Task InsertRowsAsync(IEnumerable<SyncUser> rows)
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var import = await connection.BeginBinaryImportAsync("""COPY "User" ("id", "clerkId", "email", "firstName", "lastName", "updatedAt") FROM STDIN (FORMAT binary)""");
        var n = 0;
        foreach (var row in rows)
        {
            await import.StartRowAsync();
            await import.WriteAsync($"row{n++}", NpgsqlDbType.Text);
            await import.WriteAsync(row.ClerkId, NpgsqlDbType.Text);
            await import.WriteAsync(row.Email, NpgsqlDbType.Text);
            await WriteNullableAsync(import, row.FirstName);
            await WriteNullableAsync(import, row.LastName);
            await import.WriteAsync(new DateTime(2026, 1, 1), NpgsqlDbType.Timestamp);
        }

        await import.CompleteAsync();
    }

    /// <summary>Every row's Clerk id, as many times as it occurs.</summary>
    public async Task<List<string>> ClerkIdsAsync()
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT {Db.Table.ClerkId} FROM {Db.Table.Qualified}", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<string>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    private static async Task WriteNullableAsync(NpgsqlBinaryImporter import, string? value)
    {
        if (value is null)
        {
            await import.WriteNullAsync();
        }
        else
        {
            await import.WriteAsync(value, NpgsqlDbType.Text);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Db.DisposeAsync();
        await _services.DisposeAsync();
        await Emulator.DisposeAsync();
        await Database.DisposeAsync();
        Directory.Delete(Folder, recursive: true);
    }
}
