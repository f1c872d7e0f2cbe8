using System.Text.RegularExpressions;
using IncidentBot.Core;
using LiteDB;

namespace IncidentBot.Storage;

/// <summary>
/// <see cref="IPlatformRecords"/> as plain documents in collections of the storage file (readable in a backup with
/// any LiteDB viewer), written through the store's write gate so an online backup stays consistent.
/// </summary>
public sealed partial class LiteDbPlatformRecords(LiteDbIncidentStore store) : IPlatformRecords
{
    public string? Find(string collection, string id)
    {
        var document = store.Read(db => db.GetCollection(Checked(collection)).FindById(id));
        if (document is null)
        {
            return null;
        }

        document.Remove("_id");
        return LiteDB.JsonSerializer.Serialize(document);
    }

    public void Save(string collection, string id, string json)
    {
        if (LiteDB.JsonSerializer.Deserialize(json) is not { IsDocument: true } value)
        {
            throw new ArgumentException($"A record in {collection} must be a JSON object", nameof(json));
        }

        var document = value.AsDocument;
        document["_id"] = id;
        store.Write(db => db.GetCollection(Checked(collection)).Upsert(document));
    }

    public bool Delete(string collection, string id) => store.Write(db => db.GetCollection(Checked(collection)).Delete(id));

    private static string Checked(string collection) =>
        CollectionName().IsMatch(collection) ? collection : throw new ArgumentException($"'{collection}' is not a collection name (letters, digits, '_')", nameof(collection));

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,59}$")]
    private static partial Regex CollectionName();
}
