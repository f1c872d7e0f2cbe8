using IncidentBot.Sandbox.Tests.Support;
using IncidentBot.Tests.Support;

namespace IncidentBot.Sandbox.Tests.Contract;

/// <summary>The shared contract checks (ClerkContract) have teeth: a request or an answer Clerk's spec forbids is reported.</summary>
public sealed class ClerkContractTests
{
    [Fact]
    public async Task ARequestWithoutClerksHeadersOrWithTheVersionTwiceIsReported()
    {
        await using var f = await SandboxFixture.StartAsync(new SandboxOptions { Users = 3 });
        using var bare = new HttpRequestMessage(HttpMethod.Get, "/v1/users/count");
        bare.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", f.Sandbox.Options.SecretKey);

        (await f.Http.SendAsync(bare)).Dispose();
        (await f.Http.SendAsync(f.Authorized(HttpMethod.Get, $"/v1/users/count?__clerk_api_version={OpenApiSpec.Clerk.Version}"))).Dispose();

        var violations = f.Sandbox.Violations.ToList();
        Assert.Contains(violations, v => v.Contains("Clerk-API-Version is ''", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.EndsWith("no User-Agent", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("sends the API version twice", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("GET", "/v1/users/user_a", "", 200, """{"id":"user_a","object":"user"}""", "required property")]
    [InlineData("GET", "/v1/users", "", 200, """{"data":[]}""", "the schema says array")]
    [InlineData("GET", "/v1/sessions", "paginated=true", 200, """[]""", "not {data: [...], total_count: <integer>}")]
    [InlineData("GET", "/v1/sessions", "paginated=true", 200, """{"data":[{"id":"sess_1"}],"total_count":1}""", "$.data[0]: required property")]
    [InlineData("GET", "/v1/jwks", "", 503, """{"error":"down"}""", "required property 'errors' missing")]
    [InlineData("POST", "/v1/users/ban", "", 201, """[]""", "declares no 201 answer")]
    [InlineData("GET", "/v1/instance", "", 200, "<html>", "not JSON")]
    [InlineData("GET", "/v1/no/such/thing", "", 200, "{}", "not a path in the spec")]
    public void AnAnswerTheSpecForbidsIsReported(string method, string path, string query, int status, string body, string expected)
    {
        var request = new SandboxRequest(method, path, query.Length == 0 ? "" : "?" + query, null, status, "")
        {
            Query = query.Length == 0 ? [] : [new KeyValuePair<string, string>(query.Split('=')[0], query.Split('=')[1])],
        };

        var problems = ClerkContract.Answer(request, body).ToList();

        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
        Assert.All(problems, p => Assert.StartsWith($"{method} {path} answered {status}: ", p));
    }

    [Fact]
    public async Task TheSandboxsOwnAnswersPassIncludingItsErrors()
    {
        await using var f = await SandboxFixture.StartAsync(new SandboxOptions { Users = 20 });
        var user = f.Sandbox.Users[0];
        f.Sandbox.Fail("GET", "^/v1/jwks$", 500, "internal_clerk_error", times: 1);

        (await f.Http.SendAsync(f.Authorized(HttpMethod.Get, $"/v1/users/{user.Id}"))).Dispose();
        (await f.Http.SendAsync(f.Authorized(HttpMethod.Get, "/v1/users/user_2nobody"))).Dispose();
        (await f.Http.SendAsync(f.Authorized(HttpMethod.Get, $"/v1/sessions?user_id={user.Id}&paginated=true"))).Dispose();
        (await f.Http.SendAsync(f.Authorized(HttpMethod.Get, "/v1/jwks"))).Dispose();

        Assert.Equal([200, 404, 200, 500], f.Sandbox.Requests.Select(r => r.Status));
        Assert.Empty(f.Sandbox.Violations);
    }
}
