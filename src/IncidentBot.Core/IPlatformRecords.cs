namespace IncidentBot.Core;

/// <summary>
/// What a chat adapter must remember across restarts besides incidents (Teams: where the bot may write first, the
/// cards it posted): JSON documents by collection and id, kept in the storage file, so they share its one-bot lock
/// and its backup. Implemented over LiteDB in IncidentBot.Storage.
/// </summary>
public interface IPlatformRecords
{
    /// <summary>The document (a JSON object) stored under <paramref name="id"/>, or null.</summary>
    /// <param name="collection">Letters, digits and '_', starting with the platform (<c>teams_users</c>).</param>
    string? Find(string collection, string id);

    /// <summary>Stores <paramref name="json"/> (a JSON object) under <paramref name="id"/>, replacing what was there.</summary>
    void Save(string collection, string id, string json);

    /// <summary>Removes the document; false when there was none.</summary>
    bool Delete(string collection, string id);
}
