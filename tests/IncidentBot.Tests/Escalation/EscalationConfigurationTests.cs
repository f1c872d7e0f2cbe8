using IncidentBot.Core.Escalation;
using IncidentBot.Core.Incidents;
using IncidentBot.Hosting;
using IncidentBot.Tests.Escalation.Support;
using Microsoft.Extensions.DependencyInjection;

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
        Assert.All(new[] { sev1, sev2, sev3 }, p => Assert.Equal(TimeSpan.FromMinutes(30), p.StatusUpdateEvery));
        Assert.All(new[] { sev1, sev2, sev3 }, p => Assert.Equal(TimeSpan.FromMinutes(10), p.CommanderReminderEvery));
    }

    [Fact]
    public void TheGeneralStatusUpdateIntervalReachesEverySeverityThatDoesNotSetItsOwn()
    {
        var settings = new Dictionary<string, string?> { ["Escalation:StatusUpdateEvery"] = "00:05:00", ["Escalation:Severities:Sev2:StatusUpdateEvery"] = "00:20:00" };
        using var host = EscalationBotHost.Build(_data, EscalationBotHost.Clock(), settings);
        var policies = host.Services.GetRequiredService<EscalationPolicies>();

        Assert.Equal(
            [TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(20), TimeSpan.FromMinutes(5)],
            new[] { Severity.Sev1, Severity.Sev2, Severity.Sev3 }.Select(s => policies.For(s).StatusUpdateEvery));
    }

    [Fact]
    public void AMistakeInTheEscalationSectionStopsStartUpWithOneLineNamingTheKey()
    {
        var settings = new Dictionary<string, string?> { ["Escalation:Levels:1:Notify:0"] = "night-owl" };

        var e = Assert.Throws<StartupProblems>(() => EscalationBotHost.Build(_data, EscalationBotHost.Clock(), settings));

        var line = Assert.Single(e.Lines);
        Assert.Contains("Escalation:Levels:1:Notify names 'night-owl', which is neither a person nor a role in the roster", line);
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
