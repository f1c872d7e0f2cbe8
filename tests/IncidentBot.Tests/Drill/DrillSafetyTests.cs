using IncidentBot.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Tests.Drill;

/// <summary>A drill never runs next to a live Clerk key, and no HttpClient of a drill host can reach past loopback.</summary>
public sealed class DrillSafetyTests : IDisposable
{
    private readonly TestFolder _folder = new();

    [Fact]
    public async Task DrillWithALiveKeyRefusesToStartWithOneLineAndExitCode1()
    {
        await using var bot = BotProcess.Start(_folder, "shell", "--drill", "--Clerk:SecretKey=sk_live_do_not_print_me");

        var code = await bot.EndInputAndWaitAsync();

        Assert.Equal(1, code);
        Assert.Contains("--drill refuses to start while Clerk:SecretKey (CLERK_SECRET_KEY) is a live key", bot.Output);
        Assert.DoesNotContain("sk_live_do_not_print_me", bot.Output);
        Assert.DoesNotContain("DRILL MODE", bot.Output);
        Assert.Single(bot.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Contains("refuses", StringComparison.Ordinal));
    }

    [Fact]
    public void DrillWithALiveKeyRefusesInProcessToo()
    {
        var time = new FakeTimeProvider();

        var refused = Assert.Throws<OptionsValidationException>(() =>
            DrillHost.Build(new StringReader(""), new StringWriter(), time, _folder, new() { ["Clerk:SecretKey"] = "sk_live_abc" }));

        Assert.Contains("sk_live_", refused.Message);
        Assert.DoesNotContain("sk_live_abc", refused.Message);
    }

    [Theory]
    [InlineData("http://192.0.2.1/")]
    [InlineData("https://api.clerk.com/v1/jwks")]
    [InlineData("http://localhost.example/")]
    [InlineData("http://10.0.0.1:8080/health")]
    public async Task EveryHttpClientOfADrillHostRefusesAnythingButLoopback(string url)
    {
        using var host = DrillHost.Build(new StringReader(""), new StringWriter(), new FakeTimeProvider(), _folder);
        var factory = host.Services.GetRequiredService<IHttpClientFactory>();

        foreach (var name in new[] { "", "app", "hooks", "IClerkClient", "StatusPageReader" })
        {
            using var client = factory.CreateClient(name);
            var refused = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(url));
            Assert.StartsWith("Drill mode refused a request to", refused.Message);
        }
    }

    [Fact]
    public void ADrillPointsEveryUrlTheBotCallsAtTheSandboxOnLoopback()
    {
        using var host = DrillHost.Build(new StringReader(""), new StringWriter(), new FakeTimeProvider(), _folder,
            new() { ["Slack:BotToken"] = "xoxb-real", ["Slack:SigningSecret"] = "real" });
        var configuration = host.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>();

        foreach (var key in new[] { "Clerk:ApiUrl", "Clerk:StatusUrl", "App:HealthUrl", "App:WebhookUrl", "Hooks:emergency-bypass-on:Url", "Hooks:emergency-bypass-off:Url", "Hooks:pause-webhooks:Url", "Hooks:resume-webhooks:Url" })
        {
            Assert.True(IncidentBot.Drill.LoopbackOnlyHandler.IsLoopback(new Uri(configuration[key]!)), $"{key} = {configuration[key]}");
        }

        Assert.StartsWith("sk_test_", configuration["Clerk:SecretKey"]);
        Assert.Equal("", configuration["Slack:BotToken"]); // Slack at slack.com can't join a drill
    }

    [Fact]
    public async Task WithoutDrillModeTheDrillCommandExplainsHowToStartOneAndTouchesNothing()
    {
        var output = new StringWriter();
        var time = new FakeTimeProvider();
        using var host = DrillHost.Build(new ScriptReader(time, [(TimeSpan.Zero, "/incident drill auth-outage sev1"), (TimeSpan.Zero, "/incident list")]), output, time, _folder, drillMode: false);

        await host.RunAsync().WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Contains("Drill mode is off, so no drill can run against the real Clerk. Start the bot with --drill", output.ToString());
        Assert.DoesNotContain("INC-1", output.ToString());
    }

    [Fact]
    public async Task AnUnknownDrillCategoryIsAnsweredWithTheUsage()
    {
        var output = new StringWriter();
        var time = new FakeTimeProvider();
        using var host = DrillHost.Build(new ScriptReader(time, [(TimeSpan.Zero, "/incident drill outage")]), output, time, _folder);

        await host.RunAsync().WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Contains("'outage' is not a drill: use one of auth-outage, performance, webhook-failure, security.", output.ToString());
        Assert.DoesNotContain("INC-1", output.ToString());
    }

    [Fact]
    public async Task ADrillWithAnUnknownCategoryAndABadSeverityNamesBoth()
    {
        var output = new StringWriter();
        var time = new FakeTimeProvider();
        using var host = DrillHost.Build(new ScriptReader(time, [(TimeSpan.Zero, "/incident drill outage sev9")]), output, time, _folder);

        await host.RunAsync().WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Contains("bot (!): 2 problems with `/incident drill`:\n", output.ToString());
        Assert.Contains("- 'outage' is not a drill: use one of auth-outage, performance, webhook-failure, security.\n", output.ToString());
        Assert.Contains("- 'sev9' is not a severity: use sev1, sev2 or sev3.\n", output.ToString());
        Assert.DoesNotContain("INC-1", output.ToString());
    }

    public void Dispose() => _folder.Dispose();
}
