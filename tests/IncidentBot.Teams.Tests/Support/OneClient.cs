namespace IncidentBot.Teams.Tests.Support;

/// <summary>An IHttpClientFactory for tests that build a client class by hand: every name gets a plain client.</summary>
public sealed class OneClient : IHttpClientFactory
{
    public HttpClient CreateClient(string name) => new();
}
