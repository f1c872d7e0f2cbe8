namespace IncidentBot.Storage;

/// <summary>
/// Checks that an existing storage file is a LiteDB 5 data file before LiteDB opens it: LiteDB would otherwise take
/// an empty or foreign file for a new store and numbering would start again at INC-1, overwriting old reports.
/// </summary>
public static class StorageFile
{
    // LiteDB 5's header page carries this text at byte 32 (HEADER_INFO at P_HEADER_INFO) and its file version (8) at byte 59.
    private const string HeaderInfo = "** This is a LiteDB file **";
    private const int HeaderInfoAt = 32;

    public static void Check(string path)
    {
        if (!File.Exists(path))
        {
            return; // a new store
        }

        var length = new FileInfo(path).Length;
        if (length == 0)
        {
            throw new StorageException($"Storage:Path {path} is empty (0 bytes), not a LiteDB file; restore it from a backup, or move it away to start a new store");
        }

        var header = new byte[HeaderInfoAt + HeaderInfo.Length];
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        }

        if (System.Text.Encoding.ASCII.GetString(header, HeaderInfoAt, HeaderInfo.Length) != HeaderInfo)
        {
            throw new StorageException($"Storage:Path {path} is not a LiteDB file ({length} bytes that don't start like one); restore it from a backup, or point Storage:Path at the right file");
        }
    }
}
