namespace IncidentBot.Storage;

/// <summary>The storage file can't be used: one line naming the file and what to do. The host prints it and stops.</summary>
public sealed class StorageException(string message, Exception? inner = null) : Exception(message, inner);
