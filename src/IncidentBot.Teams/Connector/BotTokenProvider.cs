using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace IncidentBot.Teams.Connector;

/// <summary>A token request that failed; the message names the endpoint and the error, never the secret.</summary>
public sealed class BotTokenException(string message) : Exception(message);

/// <summary>
/// The bot's outbound token: client credentials (app id + password) at <see cref="TeamsOptions.TokenUrl"/> for
/// scope https://api.botframework.com/.default, cached until five minutes before it expires.
/// </summary>
public sealed class BotTokenProvider(IHttpClientFactory clients, IOptions<TeamsOptions> options, TimeProvider time)
{
    public const string Client = "teams-token";

    private static readonly TimeSpan Margin = TimeSpan.FromMinutes(5);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (string Token, DateTimeOffset RenewAt)? _current;

    public async Task<string> GetAsync(CancellationToken cancellationToken)
    {
        if (_current is { } cached && time.GetUtcNow() < cached.RenewAt)
        {
            return cached.Token;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_current is { } again && time.GetUtcNow() < again.RenewAt)
            {
                return again.Token;
            }

            var settings = options.Value;
            using var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = settings.AppId,
                ["client_secret"] = settings.AppPassword,
                ["scope"] = settings.Scope,
            });
            using var response = await clients.CreateClient(Client).PostAsync(settings.ResolvedTokenUrl, form, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            JsonNode? json;
            try
            {
                json = JsonNode.Parse(body);
            }
            catch (System.Text.Json.JsonException)
            {
                json = null;
            }

            if (!response.IsSuccessStatusCode || (string?)json?["access_token"] is not { Length: > 0 } token)
            {
                // error and error_description are Entra's words (AADSTS...), safe to log; the request held the secret, the answer doesn't.
                var error = (string?)json?["error_description"] ?? (string?)json?["error"] ?? $"HTTP {(int)response.StatusCode}";
                throw new BotTokenException($"No Bot Framework token from {settings.ResolvedTokenUrl}: {FirstLine(error)}");
            }

            var lifetime = json["expires_in"] is JsonValue v && (v.TryGetValue<int>(out var seconds) || int.TryParse((string?)v, out seconds)) ? seconds : 3600;
            var renewAt = time.GetUtcNow() + TimeSpan.FromSeconds(lifetime) - Margin;
            _current = (token, renewAt);
            return token;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
