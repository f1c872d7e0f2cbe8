using IncidentBot.Core.Escalation;
using IncidentBot.Core.Incidents;
using IncidentBot.Tests.Escalation.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IncidentBot.Tests.Escalation;

public sealed class EscalationConfigurationTests : IDisposable
{
    private readonly string _data = EscalationBotHost.TempDir();

    [Fact]
    public void TheShippedAppsettingsGiveTheSeedsChainWithSev1RepeatingAndSev3OnlyTheOnCall()
    {
        using var host = EscalationBotHost.Build(_data, EscalationBotHost.Clock());
        var policies = host.Services.GetRequiredService<EscalationPolicies>();

        var sev1 = policies.For(Severity.Sev1);
        var sev2 = policies.For(Severity.Sev2);
        var sev3 = policies.For(Severity.Sev3);

        Assert.Equal([["alice"], ["bob"], ["carol"]], sev2.Levels.Select(l => l.People));
        Assert.All(sev2.Levels, l => Assert.Equal(TimeSpan.FromMinutes(15), l.EscalateAfter));
        Assert.Equal((1, 0), (sev1.Repeats, sev2.Repeats));
        Assert.Equal(3, sev1.Levels.Count);
        Assert.Equal([["alice"]], sev3.Levels.Select(l => l.People));
        Assert.Equal(
            [TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1)],
            new[] { sev1, sev2, sev3 }.Select(p => p.StatusUpdateEvery));
        Assert.All(new[] { sev1, sev2, sev3 }, p => Assert.Equal(TimeSpan.FromMinutes(10), p.CommanderReminderEvery));
    }

    [Fact]
    public void AMistakeInTheEscalationSectionStopsStartUpWithOneLineNamingTheKey()
    {
        var settings = new Dictionary<string, string?> { ["Escalation:Levels:1:Notify:0"] = "night-owl" };

        var e = Assert.Throws<OptionsValidationException>(() => EscalationBotHost.Build(_data, EscalationBotHost.Clock(), settings));

        Assert.Contains("Escalation:Levels:1:Notify names 'night-owl', which is neither a person nor a role in the roster", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
