using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace IncidentBot.Teams.Auth;

/// <summary>One signing key of the Bot Connector and the channels it may sign for (its <c>endorsements</c>).</summary>
public sealed record ConnectorKey(JsonWebKey Key, IReadOnlyList<string> Endorsements);

/// <summary>
/// The Bot Connector's signing keys: OpenID metadata -> jwks_uri -> keys, each with its <c>endorsements</c>.
/// Cached for <see cref="TeamsOptions.KeyCacheHours"/>; an unknown key id fetches them again, at most once per
/// <see cref="TeamsOptions.KeyRefreshFloorSeconds"/>.
/// </summary>
public sealed class ConnectorKeys(IHttpClientFactory clients, IOptions<TeamsOptions> options, TimeProvider time, ILogger<ConnectorKeys> log)
{
    public const string Client = "teams-keys";

    private readonly SemaphoreSlim _refresh = new(1, 1);

    // Replaced whole, never changed: a reader outside the lock sees one consistent set.
    private volatile KeySet _set = new(new Dictionary<string, ConnectorKey>(), null);

    /// <summary>How many times the keys were fetched (tests watch the cache with it).</summary>
    public int Fetches { get; private set; }

    /// <summary>The key with this id, fetching the keys first when they are stale or (past the floor) the id is unknown; null if there is none.</summary>
    public async Task<ConnectorKey?> FindAsync(string kid, CancellationToken cancellationToken)
    {
        var set = _set;
        if (Fresh(set) && set.Keys.TryGetValue(kid, out var known))
        {
            return known;
        }

        await _refresh.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            set = _set;
            var mayRefresh = set.FetchedAt is null || now - set.FetchedAt >= TimeSpan.FromSeconds(options.Value.KeyRefreshFloorSeconds);
            if ((!Fresh(set) || !set.Keys.ContainsKey(kid)) && mayRefresh)
            {
                await FetchAsync(set, cancellationToken);
            }

            return _set.Keys.GetValueOrDefault(kid);
        }
        finally
        {
            _refresh.Release();
        }
    }

    private bool Fresh(KeySet set) => set.FetchedAt is { } at && time.GetUtcNow() - at < TimeSpan.FromHours(options.Value.KeyCacheHours);

    private async Task FetchAsync(KeySet previous, CancellationToken cancellationToken)
    {
        // A failed fetch counts too: the floor protects the metadata URL either way, and the keys we had stay in use.
        _set = previous with { FetchedAt = time.GetUtcNow() };
        Fetches++;
        var http = clients.CreateClient(Client);
        try
        {
            var metadata = JsonNode.Parse(await http.GetStringAsync(options.Value.OpenIdMetadataUrl, cancellationToken));
            var jwksUri = (string?)metadata?["jwks_uri"] ?? throw new InvalidOperationException("the OpenID metadata has no jwks_uri");
            var jwks = JsonNode.Parse(await http.GetStringAsync(jwksUri, cancellationToken));
            var keys = new Dictionary<string, ConnectorKey>(StringComparer.Ordinal);
            foreach (var node in jwks?["keys"] as JsonArray ?? [])
            {
                if (node is not JsonObject json || (string?)json["kid"] is not { Length: > 0 } kid)
                {
                    continue;
                }

                var endorsements = (json["endorsements"] as JsonArray ?? []).Select(e => (string?)e).OfType<string>().ToList();
                keys[kid] = new ConnectorKey(new JsonWebKey(json.ToJsonString()), endorsements);
            }

            _set = new KeySet(keys, time.GetUtcNow());
            log.LogInformation("Bot Connector signing keys fetched: {Count} keys", keys.Count);
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or ArgumentException or System.Text.Json.JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            log.LogWarning("Could not fetch the Bot Connector's signing keys from {Url}: {Problem}", options.Value.OpenIdMetadataUrl, e.Message);
        }
    }

    private sealed record KeySet(IReadOnlyDictionary<string, ConnectorKey> Keys, DateTimeOffset? FetchedAt);
}
