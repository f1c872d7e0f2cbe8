using IncidentBot.Tests.Support;

namespace IncidentBot.Sandbox.Tests.Contract;

/// <summary>The sandbox's judge (shared by the Clerk, Sync and Sandbox tests) must itself catch the mistakes the seed made.</summary>
public sealed class RequestCheckTests
{
    private static readonly OpenApiSpec Spec = OpenApiSpec.Clerk;

    [Fact]
    public void ItReadsTheVersionAndBasePathFromTheSpecFile()
    {
        Assert.Equal("2026-05-12", Spec.Version);
        Assert.Equal("/v1", Spec.BasePath);
    }

    [Fact]
    public void BracketedArrayKeysAnOutOfRangeLimitAndUnknownBodiesAreCaught()
    {
        Assert.NotEmpty(Spec.Check("GET", "/v1/users", [new("user_id[]", "user_a")], null, ""));
        Assert.NotEmpty(Spec.Check("GET", "/v1/users", [new("limit", "501")], null, ""));
        Assert.NotEmpty(Spec.Check("GET", "/v1/sessions", [new("status", "gone")], null, ""));
        Assert.NotEmpty(Spec.Check("POST", "/v1/users/ban", [], "application/json", """{"ids":["user_a"]}"""));
        Assert.NotEmpty(Spec.Check("POST", "/v1/users/ban", [], "application/json", """{"user_ids":[]}"""));
        Assert.NotEmpty(Spec.Check("DELETE", "/v1/sessions/sess_1/revoke", [], null, ""));
        Assert.NotEmpty(Spec.Check("POST", "/v1/users/user_a/ban", [], "application/json", """{"reason":"x"}"""));
    }

    [Fact]
    public void WellFormedRequestsPass()
    {
        Assert.Empty(Spec.Check("GET", "/v1/users", [new("user_id", "user_a"), new("user_id", "user_b"), new("limit", "500")], null, ""));
        Assert.Empty(Spec.Check("GET", "/v1/sessions", [new("user_id", "user_a"), new("status", "active"), new("paginated", "true"), new("limit", "500"), new("offset", "0")], null, ""));
        Assert.Empty(Spec.Check("POST", "/v1/users/user_a/password/set_compromised", [], "application/json; charset=utf-8", """{"revoke_all_sessions":true}"""));
    }
}
