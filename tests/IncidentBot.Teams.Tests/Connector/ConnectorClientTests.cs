using System.Text.Json.Nodes;
using IncidentBot.Teams.Connector;
using IncidentBot.Teams.Tests.Support;
using Microsoft.Extensions.Options;

namespace IncidentBot.Teams.Tests.Connector;

/// <summary>The Connector client over real HTTP against the emulator, which checks every call against the Connector API swagger.</summary>
public sealed class ConnectorClientTests : IAsyncLifetime
{
    private const string Thread = Some.Channel + ";messageid=1764299999999";
    private ConnectorEmulator _connector = null!;
    private readonly ObservedTimeProvider _time = new(Some.Now);

    public async Task InitializeAsync() => _connector = await ConnectorEmulator.StartAsync();

    public async Task DisposeAsync() => await _connector.DisposeAsync();

    [Fact]
    public async Task AReplyGoesToTheEncodedConversationAndActivityWithTheBotsToken()
    {
        var client = Client();

        var id = await client.ReplyAsync(_connector.ServiceUrl, Thread, "1764299999999", Message("Acknowledged"), CancellationToken.None);

        var call = Assert.Single(_connector.Calls);
        Assert.Equal("Conversations_ReplyToActivity", call.OperationId);
        Assert.Equal(Thread, call.ConversationId);
        Assert.Contains("/amer/" + Some.TenantId + "/v3/conversations/19%3A6848757105754c8981c67612732d9aa7%40thread.tacv2%3Bmessageid%3D1764299999999/activities/1764299999999", call.RawPath, StringComparison.Ordinal);
        Assert.Equal("connector-token-1", call.Token);
        Assert.Equal(call.NewId, id);
        Assert.Empty(_connector.Violations);
    }

    [Fact]
    public async Task SendUpdateAndCreateConversationUseTheirSwaggerOperations()
    {
        var client = Client();

        var sent = await client.SendAsync(_connector.ServiceUrl, Thread, Message("Step 1"), CancellationToken.None);
        await client.UpdateAsync(_connector.ServiceUrl, Thread, sent!, Message("Step 1 (done)"), CancellationToken.None);
        var thread = await client.CreateConversationAsync(_connector.ServiceUrl, new JsonObject
        {
            ["isGroup"] = true,
            ["bot"] = new JsonObject { ["id"] = Some.BotId },
            ["tenantId"] = Some.TenantId,
            ["activity"] = Message("INC-1"),
            ["channelData"] = new JsonObject { ["channel"] = new JsonObject { ["id"] = Some.Channel } },
        }, CancellationToken.None);

        Assert.Equal(["Conversations_SendToConversation", "Conversations_UpdateActivity", "Conversations_CreateConversation"], _connector.Calls.Select(c => c.OperationId));
        Assert.Equal("PUT", _connector.Calls[1].Method);
        Assert.Equal(sent, _connector.Calls[1].ActivityId);
        Assert.Equal($"{Some.Channel};messageid={thread.ActivityId}", thread.Id);
        Assert.Empty(_connector.Violations);
    }

    [Fact]
    public async Task TheTokenIsAskedForOnceAndRenewedFiveMinutesBeforeItExpires()
    {
        var client = Client();

        await client.SendAsync(_connector.ServiceUrl, Thread, Message("one"), CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(54));
        await client.SendAsync(_connector.ServiceUrl, Thread, Message("two"), CancellationToken.None);
        Assert.Single(_connector.TokenRequests);

        _time.Advance(TimeSpan.FromMinutes(2));
        await client.SendAsync(_connector.ServiceUrl, Thread, Message("three"), CancellationToken.None);

        Assert.Equal(2, _connector.TokenRequests.Count);
        Assert.Equal(["connector-token-1", "connector-token-1", "connector-token-2"], _connector.Calls.Select(c => c.Token));
        var request = _connector.TokenRequests[0];
        Assert.Equal(Some.TenantId, (string?)request["tenant"]);
        Assert.Equal("client_credentials", (string?)request["grant_type"]);
        Assert.Equal("https://api.botframework.com/.default", (string?)request["scope"]);
    }

    [Fact]
    public async Task AThrottledCallWaitsRetryAfterAndThenSucceeds()
    {
        var client = Client();
        _connector.FailNext("Conversations_SendToConversation", (429, "7"));

        var sending = client.SendAsync(_connector.ServiceUrl, Thread, Message("paged"), CancellationToken.None);
        Assert.Equal(TimeSpan.FromSeconds(7), await _time.NextTimerAsync());
        _time.Advance(TimeSpan.FromSeconds(7));
        var id = await sending;

        Assert.Equal(2, _connector.CallsTo("Conversations_SendToConversation").Count());
        Assert.Equal(_connector.Calls[^1].NewId, id);
    }

    [Fact]
    public async Task AServerErrorWithoutRetryAfterBacksOffWithJitterAndGivesUpAfterTheLastRetry()
    {
        var client = Client(maxRetries: 2);
        _connector.FailNext("Conversations_SendToConversation", (503, null), (502, null), (504, null));

        var sending = client.SendAsync(_connector.ServiceUrl, Thread, Message("paged"), CancellationToken.None);
        var first = await _time.NextTimerAsync();
        Assert.InRange(first, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1.5));
        _time.Advance(first);
        var second = await _time.NextTimerAsync();
        Assert.InRange(second, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));
        _time.Advance(second);

        var failure = await Assert.ThrowsAsync<ConnectorException>(() => sending);
        Assert.Equal(504, failure.Status);
        Assert.Contains("HTTP 504", failure.Message, StringComparison.Ordinal);
        Assert.Equal(3, _connector.CallsTo("Conversations_SendToConversation").Count());
    }

    [Fact]
    public async Task ARetryAfterLongerThanTheCapWaitsOnlyTheCap()
    {
        var client = Client();
        _connector.FailNext("Conversations_SendToConversation", (429, "3600"));

        var sending = client.SendAsync(_connector.ServiceUrl, Thread, Message("paged"), CancellationToken.None);
        Assert.Equal(TimeSpan.FromSeconds(30), await _time.NextTimerAsync());
        _time.Advance(TimeSpan.FromSeconds(30));
        await sending;
    }

    [Fact]
    public async Task AWrongPasswordSaysWhatEntraSaidAndNeverThePassword()
    {
        var client = Client(password: "wrong-password-xyz");

        var failure = await Assert.ThrowsAsync<BotTokenException>(() => client.SendAsync(_connector.ServiceUrl, Thread, Message("x"), CancellationToken.None));

        Assert.Contains("AADSTS7000215", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password-xyz", failure.Message, StringComparison.Ordinal);
        Assert.Empty(_connector.Calls);
    }

    private ConnectorClient Client(int maxRetries = 4, string password = Some.AppPassword)
    {
        var options = Options.Create(new TeamsOptions
        {
            AppId = Some.AppId,
            AppPassword = password,
            TenantId = Some.TenantId,
            TokenUrl = _connector.TokenUrl,
            MaxRetries = maxRetries,
        });
        var tokens = new BotTokenProvider(new OneClient(), options, _time);
        var http = new HttpClient(new ConnectorRetryHandler(options, _time) { InnerHandler = new HttpClientHandler() });
        return new ConnectorClient(http, tokens);
    }

    private static JsonObject Message(string text) => new() { ["type"] = "message", ["text"] = text };
}
