using System.Net;
using System.Text.Json;
using IncidentBot.Clerk.Api;
using IncidentBot.Sandbox.Tests.Support;
using IncidentBot.Tests.Support;

namespace IncidentBot.Sandbox.Tests.Contract;

/// <summary>Every endpoint the bot uses: requests checked against the spec by OpenApiSpec, answers against the spec's response schemas.</summary>
public sealed class ContractTests : IAsyncLifetime
{
    private SandboxFixture _f = null!;

    public async Task InitializeAsync() => _f = await SandboxFixture.StartAsync();

    public async Task DisposeAsync() => await _f.DisposeAsync();

    public static TheoryData<string, string, string, string?> Endpoints => new()
    {
        { "GET", "/v1/users?limit=5&order_by=-created_at", "/users", null },
        { "GET", "/v1/users?email_address=nobody@example.com&banned=false", "/users", null },
        { "GET", "/v1/users/count", "/users/count", null },
        { "GET", "/v1/users/{user}", "/users/{user_id}", null },
        { "POST", "/v1/users/{user}/ban", "/users/{user_id}/ban", null },
        { "POST", "/v1/users/{user}/unban", "/users/{user_id}/unban", null },
        { "POST", "/v1/users/{user}/lock", "/users/{user_id}/lock", null },
        { "POST", "/v1/users/{user}/unlock", "/users/{user_id}/unlock", null },
        { "POST", "/v1/users/{user}/password/set_compromised", "/users/{user_id}/password/set_compromised", "{\"revoke_all_sessions\":true}" },
        { "POST", "/v1/users/ban", "/users/ban", "{\"user_ids\":[\"{user}\"]}" },
        { "POST", "/v1/users/unban", "/users/unban", "{\"user_ids\":[\"{user}\"]}" },
        { "GET", "/v1/sessions?user_id={user}&status=active", "/sessions", null },
        { "POST", "/v1/sessions/{session}/revoke", "/sessions/{session_id}/revoke", null },
        { "GET", "/v1/instance", "/instance", null },
        { "GET", "/v1/jwks", "/jwks", null },
        { "POST", "/v1/webhooks/svix_url", "/webhooks/svix_url", null },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task EachEndpointAnswersInTheShapeTheSpecDeclares(string method, string path, string template, string? body)
    {
        var user = _f.Sandbox.Users.First(u => !u.Banned && _f.Sandbox.SessionsOf(u.Id).Count > 0);
        var session = _f.Sandbox.SessionsOf(user.Id)[0];
        string Fill(string s) => s.Replace("{user}", user.Id, StringComparison.Ordinal).Replace("{session}", session.Id, StringComparison.Ordinal);

        using var response = await _f.Http.SendAsync(_f.Authorized(new HttpMethod(method), Fill(path), body is null ? null : Fill(body)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var problems = ResponseSchema.Clerk.Check(ResponseSchema.Clerk.For(method, template, 200), json.RootElement);
        Assert.Empty(problems);
        Assert.Empty(_f.Sandbox.Violations);
    }

    [Fact]
    public async Task PaginatedSessionsAreDataAndTotalCountWithEachSessionInTheSpecsShape()
    {
        var user = _f.Sandbox.Users.First(u => _f.Sandbox.SessionsOf(u.Id).Count >= 3);
        var active = _f.Sandbox.SessionsOf(user.Id).Count;

        using var response = await _f.Http.SendAsync(_f.Authorized(HttpMethod.Get, $"/v1/sessions?user_id={user.Id}&status=active&paginated=true&limit=2&offset=1"));

        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(active, json.RootElement.GetProperty("total_count").GetInt64());
        var data = json.RootElement.GetProperty("data");
        Assert.Equal(Math.Min(2, active - 1), data.GetArrayLength());
        foreach (var item in data.EnumerateArray())
        {
            Assert.Empty(ResponseSchema.Clerk.Check(ResponseSchema.Clerk.Named("Session"), item));
        }
    }

    [Theory]
    [InlineData("GET", "/v1/users/user_2nobody", 404, "resource_not_found")]
    [InlineData("GET", "/v1/users?limit=501", 422, "form_param_value_invalid")]
    [InlineData("GET", "/v1/users?order_by=-last_name&starting_after=user_2x", 422, "form_param_value_invalid")]
    [InlineData("GET", "/v1/users?offset=10&starting_after=user_2x", 422, "form_param_value_invalid")]
    [InlineData("GET", "/v1/sessions?status=active", 422, "form_param_missing")]
    [InlineData("POST", "/v1/sessions/sess_2nothing/revoke", 404, "resource_not_found")]
    public async Task MistakesGetClerksErrorBody(string method, string path, int status, string code)
    {
        using var response = await _f.Http.SendAsync(_f.Authorized(new HttpMethod(method), path));

        Assert.Equal(status, (int)response.StatusCode);
        await AssertErrorBodyAsync(response, code);
    }

    [Theory]
    [InlineData("Bearer sk_test_wrong", "clerk_key_invalid")]
    [InlineData("sk_test_wrong", "authorization_header_format_invalid")]
    [InlineData("", "authorization_header_format_invalid")]
    public async Task AWrongKeyOrHeaderIs401WithClerksErrorBody(string authorization, string code)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/users");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);

        using var response = await _f.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await AssertErrorBodyAsync(response, code);
    }

    [Fact]
    public async Task PastTheRateLimitItAnswers429WithRetryAfterAndJwksStaysOpen()
    {
        await using var f = await SandboxFixture.StartAsync(new SandboxOptions { Users = 5, RateLimit = 3 });
        for (var i = 0; i < 3; i++)
        {
            (await f.Http.SendAsync(f.Authorized(HttpMethod.Get, "/v1/users/count"))).Dispose();
        }

        using var limited = await f.Http.SendAsync(f.Authorized(HttpMethod.Get, "/v1/users/count"));
        using var jwks = await f.Http.SendAsync(f.Authorized(HttpMethod.Get, "/v1/jwks"));
        f.Time.Advance(TimeSpan.FromSeconds(10));
        using var later = await f.Http.SendAsync(f.Authorized(HttpMethod.Get, "/v1/users/count"));

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(10), limited.Headers.RetryAfter?.Delta);
        await AssertErrorBodyAsync(limited, "too_many_requests");
        Assert.Equal(HttpStatusCode.OK, jwks.StatusCode);
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
    }

    [Fact]
    public async Task TheBotsClientWalksEveryUserWithStartingAfterAndTheCountAgrees()
    {
        var seen = new List<string>();
        string? cursor = null;
        while (true)
        {
            var page = await _f.Client.ListUsersAsync(new UserQuery(Limit: 25, StartingAfter: cursor), CancellationToken.None);
            seen.AddRange(page.Select(u => u.Id));
            if (page.Count < 25)
            {
                break;
            }

            cursor = page[^1].Id;
        }

        Assert.Equal(120, seen.Count);
        Assert.Equal(120, seen.Distinct().Count());
        Assert.Equal(120, await _f.Client.CountUsersAsync(new UserQuery(), CancellationToken.None));
        Assert.Equal(_f.Sandbox.Users.Select(u => u.Id), seen); // newest first, as Clerk sorts them
        Assert.Empty(_f.Sandbox.Violations);
    }

    [Fact]
    public async Task OrderByAndOffsetPage()
    {
        using var first = await _f.Http.SendAsync(_f.Authorized(HttpMethod.Get, "/v1/users?order_by=%2Bcreated_at&limit=3"));
        using var second = await _f.Http.SendAsync(_f.Authorized(HttpMethod.Get, "/v1/users?order_by=%2Bcreated_at&limit=3&offset=3"));

        var ids = Ids(await first.Content.ReadAsStringAsync()).Concat(Ids(await second.Content.ReadAsStringAsync())).ToList();
        Assert.Equal(_f.Sandbox.Users.Reverse().Take(6).Select(u => u.Id), ids);
        Assert.Empty(_f.Sandbox.Violations);
    }

    private static IEnumerable<string> Ids(string json) =>
        JsonDocument.Parse(json).RootElement.EnumerateArray().Select(u => u.GetProperty("id").GetString()!).ToList();

    private static async Task AssertErrorBodyAsync(HttpResponseMessage response, string code)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Empty(ResponseSchema.Clerk.Check(ResponseSchema.Clerk.Named("ClerkErrors"), json.RootElement));
        var error = json.RootElement.GetProperty("errors")[0];
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.False(string.IsNullOrEmpty(error.GetProperty("long_message").GetString()));
        Assert.StartsWith("trace_", json.RootElement.GetProperty("clerk_trace_id").GetString());
    }
}
