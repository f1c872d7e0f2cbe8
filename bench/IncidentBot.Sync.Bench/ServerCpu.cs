using System.Globalization;
using Npgsql;

namespace IncidentBot.Sync.Bench;

/// <summary>
/// CPU seconds used by the PostgreSQL server's processes (the postmaster's children: backends, WAL writer, ...), read
/// from /proc: with the benchmark's own CPU time, the work a run costs, which a shared machine's load disturbs far
/// less than it disturbs seconds on the clock. Only for a server on this machine (null otherwise).
/// </summary>
public static class ServerCpu
{
    public static async Task<int?> PostmasterAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_backend_pid()", connection);
        var backend = (int)(await command.ExecuteScalarAsync())!;
        return Stat(backend) is { } stat ? stat.Parent : null;
    }

    public static double Seconds(int? postmaster)
    {
        if (postmaster is not { } parent || !OperatingSystem.IsLinux())
        {
            return 0;
        }

        long ticks = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && Stat(pid) is { } stat && stat.Parent == parent)
            {
                ticks += stat.Ticks;
            }
        }

        return ticks / 100.0; // USER_HZ
    }

    private static (int Parent, long Ticks)? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            // after "pid (comm) ": state ppid ... utime is field 14, stime 15 (1-based in the whole line)
            return (int.Parse(fields[1], CultureInfo.InvariantCulture), long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture));
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
