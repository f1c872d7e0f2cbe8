using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace IncidentBot.Sync.Tests.Support;

/// <summary>
/// The PostgreSQL the tests use, once per test run: the one named by INCIDENTBOT_TEST_PG (.ci/run starts it), or
/// else one this fixture starts itself from the machine's initdb/pg_ctl in a temporary directory on a free
/// loopback port (as the postgres user when the tests run as root: PostgreSQL refuses root), stopped at the end.
/// Each test gets its own database, dropped afterwards.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    public const string Variable = "INCIDENTBOT_TEST_PG";

    private static readonly Lazy<string?> Bin = new(FindBin);
    private string? _dir;
    private string? _runAs;

    /// <summary>Why the database tests can't run (null: they can).</summary>
    public static string? Unavailable =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } || Bin.Value is not null
            ? null
            : $"No PostgreSQL: {Variable} is unset and there is no initdb/pg_ctl on the PATH or in /usr/lib/postgresql/*/bin. " +
              "Install PostgreSQL 15 (apt-get install postgresql-15), or start one and set " +
              $"{Variable}=\"Host=127.0.0.1;Port=5432;Username=postgres;Database=postgres\" (see README, Data sync).";

    public string AdminConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } given)
        {
            AdminConnectionString = given;
            return;
        }

        if (Bin.Value is not { } bin)
        {
            return;
        }

        _dir = Directory.CreateTempSubdirectory("incidentbot-pg-").FullName;
        _runAs = Environment.UserName == "root" ? (File.ReadAllText("/etc/passwd").Contains("\npostgres:", StringComparison.Ordinal) ? "postgres" : "nobody") : null;
        if (_runAs is not null && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_dir, (UnixFileMode)0x1FF); // 0777: the unprivileged user creates data/ inside
        }

        var port = FreePort();
        var data = Path.Combine(_dir, "data");
        await RunAsync(Path.Combine(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
        await RunAsync(Path.Combine(bin, "pg_ctl"),
        [
            "-D", data, "-l", Path.Combine(_dir, "server.log"), "-w", "-t", "60",
            "-o", $"-p {port} -k {_dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off", "start",
        ]);
        AdminConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false";
    }

    /// <summary>A fresh database for one test (ICU en-US collation where available, so text order is not byte order).</summary>
    public async Task<TestDatabase> CreateDatabaseAsync()
    {
        var name = "sync_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            try
            {
                await Exec(connection, $"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'");
            }
            catch (PostgresException)
            {
                await Exec(connection, $"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'");
            }
        }

        var builder = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = true };
        return new TestDatabase(this, name, builder.ConnectionString);
    }

    internal async Task DropAsync(string name)
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await Exec(connection, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    }

    public async Task DisposeAsync()
    {
        if (_dir is null || Bin.Value is not { } bin)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        try
        {
            await RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", Path.Combine(_dir, "data"), "-m", "immediate", "-w", "stop"]);
        }
        finally
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static async Task Exec(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task RunAsync(string program, IReadOnlyList<string> args)
    {
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (_runAs is not null)
        {
            start.FileName = File.Exists("/usr/sbin/runuser") ? "/usr/sbin/runuser" : "runuser";
            foreach (var a in new[] { "-u", _runAs, "--", program }.Concat(args))
            {
                start.ArgumentList.Add(a);
            }
        }
        else
        {
            start.FileName = program;
            foreach (var a in args)
            {
                start.ArgumentList.Add(a);
            }
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} failed ({process.ExitCode}): {await error} {await output}");
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static string? FindBin()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var initdb = Path.Combine(dir, "initdb");
            if (File.Exists(initdb) && File.Exists(Path.Combine(dir, "pg_ctl")))
            {
                // /usr/local/bin/initdb is often a link into /usr/lib/postgresql/NN/bin.
                return Path.GetDirectoryName(new FileInfo(initdb).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? initdb);
            }
        }

        return Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
    }
}

/// <summary>One test's database; dropped on dispose.</summary>
public sealed class TestDatabase(PostgresServer server, string name, string connectionString) : IAsyncDisposable
{
    public string Name => name;

    public string ConnectionString => connectionString;

    public async Task ExecAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public ValueTask DisposeAsync() => new(server.DropAsync(name));
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}

/// <summary>A test that needs PostgreSQL: skipped, with the reason and how to start one, only when none exists.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresServer.Unavailable is { } why)
        {
            Skip = why;
        }
    }
}

/// <summary>A theory that needs PostgreSQL: skipped like <see cref="PostgresFactAttribute"/>.</summary>
public sealed class PostgresTheoryAttribute : TheoryAttribute
{
    public PostgresTheoryAttribute()
    {
        if (PostgresServer.Unavailable is { } why)
        {
            Skip = why;
        }
    }
}
