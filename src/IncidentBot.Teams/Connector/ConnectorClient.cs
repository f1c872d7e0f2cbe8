using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace IncidentBot.Teams.Connector;

/// <summary>
/// The Connector client: every call carries the bot's token as a Bearer header, goes to the service URL it is given
/// (only ever one that arrived on an authenticated activity), and is retried by <see cref="ConnectorRetryHandler"/>.
/// </summary>
public sealed class ConnectorClient(HttpClient http, BotTokenProvider tokens) : IConnectorClient
{
    public async Task<string?> SendAsync(string serviceUrl, string conversationId, JsonObject activity, CancellationToken cancellationToken) =>
        (string?)(await CallAsync(HttpMethod.Post, Url(serviceUrl, $"v3/conversations/{Seg(conversationId)}/activities"), activity, cancellationToken))?["id"];

    public async Task<string?> ReplyAsync(string serviceUrl, string conversationId, string activityId, JsonObject activity, CancellationToken cancellationToken) =>
        (string?)(await CallAsync(HttpMethod.Post, Url(serviceUrl, $"v3/conversations/{Seg(conversationId)}/activities/{Seg(activityId)}"), activity, cancellationToken))?["id"];

    public Task UpdateAsync(string serviceUrl, string conversationId, string activityId, JsonObject activity, CancellationToken cancellationToken) =>
        CallAsync(HttpMethod.Put, Url(serviceUrl, $"v3/conversations/{Seg(conversationId)}/activities/{Seg(activityId)}"), activity, cancellationToken);

    public async Task<CreatedConversation> CreateConversationAsync(string serviceUrl, JsonObject parameters, CancellationToken cancellationToken)
    {
        var answer = await CallAsync(HttpMethod.Post, Url(serviceUrl, "v3/conversations"), parameters, cancellationToken);
        return (string?)answer?["id"] is { Length: > 0 } id
            ? new CreatedConversation(id, (string?)answer["activityId"])
            : throw new ConnectorException("The Connector created a conversation but sent no id", 200);
    }

    public async Task<MembersPage> GetMembersPageAsync(string serviceUrl, string conversationId, string? continuationToken, CancellationToken cancellationToken)
    {
        var query = continuationToken is null ? "" : "&continuationToken=" + Uri.EscapeDataString(continuationToken);
        var answer = await CallAsync(HttpMethod.Get, Url(serviceUrl, $"v3/conversations/{Seg(conversationId)}/pagedmembers?pageSize={MembersPageSize}{query}"), null, cancellationToken);
        var members = (answer?["members"] as JsonArray ?? [])
            .Select(m => (string?)m?["id"] is { Length: > 0 } id ? new Activities.TeamsAccount(id, (string?)m!["name"], (string?)m["aadObjectId"]) : null)
            .OfType<Activities.TeamsAccount>()
            .ToList();
        return new MembersPage(members, (string?)answer?["continuationToken"] is { Length: > 0 } next ? next : null);
    }

    /// <summary>A suggestion (the swagger says the server may page otherwise); Teams documents at most 500 per page.</summary>
    private const int MembersPageSize = 500;

    private async Task<JsonObject?> CallAsync(HttpMethod method, Uri url, JsonObject? body, CancellationToken cancellationToken)
    {
        var token = await tokens.GetAsync(cancellationToken);
        using var request = new HttpRequestMessage(method, url)
        {
            Content = body is null ? null : new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonObject? json;
        try
        {
            json = text.Length == 0 ? null : JsonNode.Parse(text) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            json = null;
        }

        if (!response.IsSuccessStatusCode)
        {
            // ErrorResponse {error: {code, message}} per the swagger; the URL is the service's, no secret in it.
            var why = (string?)json?["error"]?["message"] ?? (string?)json?["error"]?["code"] ?? response.ReasonPhrase ?? "no reason given";
            throw new ConnectorException($"Teams refused {method} {url.AbsolutePath} (HTTP {(int)response.StatusCode}: {why})", (int)response.StatusCode);
        }

        return json;
    }

    /// <summary>serviceUrl + path, whether or not the service URL ends in a slash.</summary>
    public static Uri Url(string serviceUrl, string path) => new(serviceUrl.TrimEnd('/') + "/" + path);

    private static string Seg(string id) => Activities.ConversationIds.Segment(id);
}
