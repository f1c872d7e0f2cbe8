using System.Globalization;

namespace IncidentBot.Storage;

/// <summary>
/// One bot per storage file: <c>&lt;file&gt;.lock</c> beside it holds the owner's process id and an OS record lock
/// (fcntl on Linux, LockFileEx on Windows) that the kernel drops when the process dies, so a crash leaves no stale lock.
/// A second process is refused with the holder's pid; a second store in the same process is refused too.
/// </summary>
public sealed class StorageLock : IDisposable
{
    // Record locks belong to the process, not the handle: a second handle in the same process would "succeed".
    private static readonly HashSet<string> HeldHere = new(StringComparer.Ordinal);
    private static readonly Lock Gate = new();

    // Beyond any content, so the pid written at the start of the file stays readable by whoever is refused.
    private const long LockedByte = 1L << 40;

    private readonly FileStream _file;
    private readonly string _path;

    private StorageLock(FileStream file, string path)
    {
        _file = file;
        _path = path;
    }

    public static string PathFor(string database) => database + ".lock";

    /// <summary>Takes the lock for <paramref name="database"/>, or throws <see cref="StorageException"/> naming the holder.</summary>
    public static StorageLock Acquire(string database)
    {
        var path = Path.GetFullPath(PathFor(database));
        lock (Gate)
        {
            if (HeldHere.Contains(path))
            {
                throw new StorageException($"Storage:Path {database} is already open in this process (pid {Environment.ProcessId}); one bot per storage file");
            }

            var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
            try
            {
                if (!OperatingSystem.IsMacOS()) // .NET has no record locks there: macOS is for development only
                {
                    file.Lock(LockedByte, 1);
                }
            }
            catch (IOException)
            {
                var holder = ReadHolder(file);
                file.Dispose();
                throw new StorageException(
                    $"Storage:Path {database} is in use by another IncidentBot (process {holder}); one bot per storage file: stop that one, or point this one at another file");
            }

            file.SetLength(0);
            var pid = System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
            file.Write(pid);
            file.Flush(flushToDisk: true);
            HeldHere.Add(path);
            return new StorageLock(file, path);
        }
    }

    /// <summary>The pid in a lock file someone else holds, or "unknown".</summary>
    private static string ReadHolder(FileStream file)
    {
        file.Position = 0;
        var buffer = new byte[32];
        var read = file.Read(buffer);
        var text = System.Text.Encoding.ASCII.GetString(buffer, 0, read).Trim();
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid.ToString(CultureInfo.InvariantCulture) : "unknown";
    }

    public void Dispose()
    {
        lock (Gate)
        {
            if (HeldHere.Remove(_path))
            {
                _file.Dispose(); // closing the handle releases the record lock; the file stays, harmlessly
            }
        }
    }
}
