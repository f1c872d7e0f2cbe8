using IncidentBot.Core.Escalation;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.People;
using IncidentBot.Core.Reports;
using IncidentBot.Core.Service;
using IncidentBot.Core.Tests.Support;
using IncidentBot.Storage;
using IncidentBot.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Core.Tests.Incidents;

/// <summary>A drill incident is marked DRILL on every card, post, page and report, and pages only its own people.</summary>
public sealed class DrillIncidentTests : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly RecordingChat _chat = new();
    private readonly FakeTimeProvider _time = new(Some.Start);

    public DrillIncidentTests()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Path"] = ":memory:",
            ["Runbooks:Path"] = Repo.Runbooks,
            ["Reports:Path"] = Directory.CreateTempSubdirectory("reports").FullName,
            ["Roster:People:0:Name"] = "alice",
            ["Roster:People:0:Role"] = "on-call",
            ["Roster:People:1:Name"] = "bob",
            ["Roster:People:1:Role"] = "engineering-lead",
            ["Roster:People:2:Name"] = "carol",
            ["Roster:People:2:Role"] = "cto",
        }).Build();
        var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(_time)
            .AddSingleton<IChatSurface>(_chat)
            .AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(NullLogger<>));
        services.AddIncidentCore(configuration).AddIncidentStorage(configuration).AddEscalation(configuration);
        _services = services.BuildServiceProvider();
    }

    private IncidentService Incidents => _services.GetRequiredService<IncidentService>();

    [Fact]
    public async Task ADrillStartedByBobPagesOnlyBobAtEveryLevelAndMarksEverything()
    {
        var (incident, _) = await Incidents.DeclareAsync(new Actor("bob"), "auth-outage", Severity.Sev1, "auth-outage drill", null, null, [], CancellationToken.None);
        var scheduler = _services.GetRequiredService<DeadlineScheduler>();
        var end = _time.GetUtcNow() + TimeSpan.FromHours(2);
        while (scheduler.NextDue() is { } next && next <= end)
        {
            _time.Advance(next > _time.GetUtcNow() ? next - _time.GetUtcNow() : TimeSpan.Zero);
            await scheduler.RunDueAsync(CancellationToken.None);
        }

        var saved = Incidents.Find(incident!.Id)!;
        Assert.True(saved.Drill);
        Assert.Equal("DRILL: auth-outage drill", saved.Title);
        Assert.All(saved.Escalation!.Pings, p => Assert.Equal(["bob"], p.People));
        Assert.True(saved.Escalation.Pings.Count >= 2, "the chain's timers still run");
        Assert.All(_chat.Directs, d => Assert.Equal("bob", d.PersonName));
        Assert.All(_chat.Publications, p => Assert.Contains("DRILL", p.Card.Header));
        Assert.All(_chat.Posts, m => Assert.Contains("DRILL", (m.Header ?? "") + m.Text));
        Assert.All(_chat.Directs, d => Assert.Contains("DRILL", d.Message.Header));
    }

    [Fact]
    public async Task ADrillCanPageConfiguredPeopleAndARealIncidentIsUnmarked()
    {
        var (drill, _) = await Incidents.DeclareAsync(new Actor("bob"), "security", Severity.Sev2, "security drill", null, null, ["carol"], CancellationToken.None);
        var (real, _) = await Incidents.DeclareAsync(new Actor("bob"), "security", Severity.Sev2, "Real one", null, null, CancellationToken.None);

        Assert.Equal(["carol"], Incidents.Find(drill!.Id)!.Escalation!.Pings[0].People);
        var realIncident = Incidents.Find(real!.Id)!;
        Assert.False(realIncident.Drill);
        Assert.Equal("Real one", realIncident.Title);
        Assert.Equal(["alice"], realIncident.Escalation!.Pings[0].People);
        Assert.DoesNotContain(_chat.Publications.Where(p => p.Incident.Id == real.Id).SelectMany(p => p.Posts), m => (m.Header ?? m.Text).Contains("DRILL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheReportOfADrillSaysSo()
    {
        var (incident, _) = await Incidents.DeclareAsync(new Actor("bob"), "performance", Severity.Sev3, "performance drill", null, null, [], CancellationToken.None);
        var runbook = Incidents.Runbooks.ById(incident!.RunbookId)!;

        var report = ReportWriter.Write(Incidents.Find(incident.Id)!, runbook, [], [], _time.GetUtcNow());

        Assert.StartsWith("# Incident Report: DRILL: performance drill", report);
        Assert.Contains("> DRILL: a practice incident", report);
    }

    public void Dispose() => _services.Dispose();
}
