using CsCheck;
using IncidentBot.Properties.Tests.Support;
using IncidentBot.Slack;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IncidentBot.Properties.Tests.Configuration;

/// <summary>
/// The Slack section bound from generated settings: the options come out valid, or binding/validation refuses with a
/// message naming the Slack setting; never another exception.
/// </summary>
public sealed class SlackOptionsProperties
{
    private static readonly string[] Keys =
    [
        "ApiUrl", "BotToken", "SigningSecret", "AppToken", "ChannelNamePattern", "CreateChannels", "PrivateChannels", "InviteRoles",
        "SignatureToleranceSeconds", "AckBudgetMilliseconds", "MaxRateLimitRetries", "MaxRetries", "CallTimeoutSeconds", "MaxReconnectDelaySeconds", "Unknown",
    ];

    private static readonly Gen<string?> Values = Gen.OneOf(
        Gen.Const((string?)null),
        Gen.Int.Select(i => (string?)i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Gen.Int[0, 4000].Select(i => (string?)i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Gen.OneOf<string?>("", " ", "true", "false", "yes", "1e3", "-1", "99999999999", "http://127.0.0.1:1/api/", "ftp://x", "xapp-1", "xoxb-1", "not a url"),
        Gens.Text.Select(t => (string?)t));

    [Fact]
    public void AnySlackSectionBindsOrIsRefusedNamingTheSetting() =>
        Gen.Select(Gen.OneOf(Keys), Values).Array[0, 8].Sample(settings =>
        {
            var values = new Dictionary<string, string?> { ["Slack:BotToken"] = "xoxb-test", ["Slack:SigningSecret"] = "secret" };
            foreach (var (key, value) in settings)
            {
                values["Slack:" + key] = value;
            }

            var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
            try
            {
                var services = new ServiceCollection();
                services.AddLogging();
                services.AddSlack(configuration);
                using var provider = services.BuildServiceProvider();
                _ = provider.GetService<IOptions<SlackOptions>>()?.Value;
            }
            catch (OptionsValidationException e)
            {
                Assert.Contains("Slack", string.Join(' ', e.Failures) + e.OptionsName + typeof(SlackOptions).Name, StringComparison.Ordinal);
            }
            catch (InvalidOperationException e) when (e.Message.Contains("Slack:", StringComparison.Ordinal))
            {
                // The binder's "Failed to convert configuration value at 'Slack:...'" names the key.
            }
        }, iter: Iterations.Count, threads: 1);

    [Fact]
    public void ANullSettingReadsAsEmptyNotANullReference()
    {
        // Found by the property above: "BotToken": null in appsettings.json ended start-up in a NullReferenceException.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Slack:BotToken"] = null,
            ["Slack:SigningSecret"] = "secret",
            ["Slack:AppToken"] = null,
        }).Build();

        var options = configuration.GetSection("Slack").Get<SlackOptions>()!;

        Assert.Equal("", options.BotToken);
        Assert.False(options.Enabled);
        Assert.False(options.SocketMode);
    }
}
