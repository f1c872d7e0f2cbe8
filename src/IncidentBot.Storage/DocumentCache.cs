using System.Collections.Concurrent;
using LiteDB;

namespace IncidentBot.Storage;

/// <summary>
/// The committed documents of recently read incidents, by id, so a read (a button's guard, a command in the incident's
/// channel) maps a document instead of querying the file. Never a stale one: a document read from the file is kept only
/// if no commit finished while it was read (checked under the store's write gate), and a commit of the incident forgets
/// it (under the same gate), so the next read takes the new one from the file. A document in it is never changed: every read maps a new object from it. Bounded:
/// past its capacity arbitrary entries are dropped (read again on use).
/// </summary>
internal sealed class DocumentCache(int capacity)
{
    private readonly ConcurrentDictionary<string, BsonDocument> _documents = new(StringComparer.Ordinal);

    public int Count => _documents.Count;

    public bool TryGet(string id, out BsonDocument document) => _documents.TryGetValue(id, out document!);

    /// <summary>Keeps <paramref name="document"/> as <paramref name="id"/>'s; call only under the store's write gate.</summary>
    public void Set(string id, BsonDocument document)
    {
        if (_documents.Count >= capacity && !_documents.ContainsKey(id))
        {
            foreach (var key in _documents.Keys.Take(_documents.Count - capacity + 1))
            {
                _documents.TryRemove(key, out _);
            }
        }

        _documents[id] = document;
    }

    public void Forget(string id) => _documents.TryRemove(id, out _);
}
