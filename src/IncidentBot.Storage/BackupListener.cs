using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IncidentBot.Storage;

/// <summary>
/// While the bot runs it holds the storage lock, so <c>incidentbot backup</c> can't open the file itself: it asks the
/// bot over <c>&lt;file&gt;.sock</c>, a Unix socket beside the file that only the owner may use, and the bot copies the file
/// under its write gate (<see cref="LiteDbIncidentStore.BackupTo"/>). One request per connection: <c>backup &lt;path&gt;</c>,
/// answered <c>ok &lt;incidents&gt;</c> or <c>error &lt;reason&gt;</c>.
/// </summary>
public sealed class BackupListener(LiteDbIncidentStore store, IOptions<StorageOptions> options, ILogger<BackupListener> log) : BackgroundService
{
    public static string SocketFor(string database) => database + ".sock";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Path == ":memory:")
        {
            return;
        }

        var path = SocketFor(options.Value.Path);
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            File.Delete(path); // a socket file left by a crash; the storage lock says the file is ours now
            listener.Bind(new UnixDomainSocketEndPoint(path));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            listener.Listen(4);
        }
        catch (Exception e) when (e is SocketException or IOException or ArgumentException or UnauthorizedAccessException)
        {
            log.LogWarning("Online backup is unavailable: can't listen on {Socket} ({Reason}); stop the bot to back up", path, e.Message);
            return;
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                using var client = await listener.AcceptAsync(stoppingToken);
                await AnswerAsync(client, store, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            File.Delete(path);
        }
    }

    private async Task AnswerAsync(Socket client, LiteDbIncidentStore liteDb, CancellationToken cancellationToken)
    {
        await using var stream = new NetworkStream(client);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true };
        var request = await reader.ReadLineAsync(cancellationToken) ?? "";
        if (!request.StartsWith("backup ", StringComparison.Ordinal))
        {
            await writer.WriteLineAsync("error expected: backup <path>");
            return;
        }

        var target = request["backup ".Length..];
        try
        {
            var count = liteDb.BackupTo(target);
            log.LogInformation("Backed up {Count} incidents to {Target}", count, target);
            await writer.WriteLineAsync($"ok {count}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or StorageException or LiteDB.LiteException)
        {
            log.LogError("Backup to {Target} failed: {Reason}", target, e.Message);
            await writer.WriteLineAsync($"error {e.Message}");
        }
    }
}
