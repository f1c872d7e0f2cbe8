using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace IncidentBot.Storage;

/// <summary>
/// <c>incidentbot backup &lt;path&gt;</c>: a consistent copy of the storage file. With a bot running, the bot makes it
/// (<see cref="BackupListener"/>); without one, this process takes the lock and makes it. Either way the copy is opened
/// afterwards and its incidents counted.
/// </summary>
public static class StorageBackup
{
    /// <summary>Returns the sentence to print; throws <see cref="StorageException"/> with one line when it can't.</summary>
    public static async Task<string> RunAsync(string database, string target, CancellationToken cancellationToken)
    {
        target = Path.GetFullPath(target);
        if (string.Equals(target, Path.GetFullPath(database), StringComparison.Ordinal))
        {
            throw new StorageException($"The backup can't be the storage file itself ({database}); name another path");
        }

        if (await AskRunningBotAsync(database, target, cancellationToken) is { } count)
        {
            return Done(count, database, target, "by the running bot");
        }

        if (!File.Exists(database))
        {
            throw new StorageException($"Storage:Path {database} does not exist; nothing to back up (is Storage:Path the bot's?)");
        }

        using var store = new LiteDbIncidentStore(database);
        return Done(store.BackupTo(target), database, target, "with no bot running");
    }

    private static string Done(int count, string database, string target, string how) =>
        string.Create(CultureInfo.InvariantCulture, $"Backed up {count} incidents from {database} to {target} ({how})");

    private static async Task<int?> AskRunningBotAsync(string database, string target, CancellationToken cancellationToken)
    {
        var path = BackupListener.SocketFor(database);
        if (!File.Exists(path))
        {
            return null;
        }

        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken);
        }
        catch (SocketException)
        {
            return null; // left by a bot that is gone
        }

        await using var stream = new NetworkStream(socket);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true };
        await writer.WriteLineAsync($"backup {target}");
        var answer = await reader.ReadLineAsync(cancellationToken) ?? "error the bot closed the connection";
        return answer.StartsWith("ok ", StringComparison.Ordinal)
            ? int.Parse(answer[3..], CultureInfo.InvariantCulture)
            : throw new StorageException($"The running bot could not back up {database} to {target}: {answer["error ".Length..]}");
    }
}
