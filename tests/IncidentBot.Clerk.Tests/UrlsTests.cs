namespace IncidentBot.Clerk.Tests;

public sealed class UrlsTests
{
    [Theory]
    [InlineData("https://app.example.com/api/health?token=abc123", "https://app.example.com/api/health")]
    [InlineData("https://user:pa55@app.example.com:8443/hooks/bypass#x", "https://app.example.com:8443/hooks/bypass")]
    [InlineData("not a url", "(not a valid absolute URL)")]
    public void AConfiguredUrlShowsNoQueryStringOrUserInfo(string url, string shown) => Assert.Equal(shown, Urls.Redact(url));
}
