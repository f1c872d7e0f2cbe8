using IncidentBot.Core.Escalation;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.People;
using IncidentBot.Core.Tests.Escalation.Support;

namespace IncidentBot.Core.Tests.Escalation;

public sealed class PolicyTests
{
    [Theory]
    [InlineData(0, 2)]
    [InlineData(1, 4)]
    [InlineData(3, 8)]
    public async Task TheChainRunsOnceMoreForEachRepeatThenStops(int repeats, int pages)
    {
        var policy = EscalationHarness.DefaultPolicy();
        policy.Levels = [Level("on-call", 10), Level("engineering-lead", 10)];
        policy.Severities.Clear();
        policy.Repeats = repeats;
        var bot = new EscalationHarness(policy);
        var id = await bot.DeclareAsync("sev2");

        await bot.AdvanceAsync(TimeSpan.FromHours(5));

        var log = bot.PageLog(id);
        Assert.Equal(pages, log.Count);
        Assert.Equal(Enumerable.Range(0, pages).Select(i => $"+{TimeSpan.FromMinutes(10 * i):hh\\:mm\\:ss} L{i % 2 + 1} R{i / 2 + 1} {(i % 2 == 0 ? "alice" : "bob")}"), log);
        Assert.Null(bot.State(id).NextPingAt);
    }

    [Fact]
    public async Task EditingTheConfigurationDuringAnIncidentChangesNothingForItButAppliesToTheNextOne()
    {
        var bot = new EscalationHarness();
        var running = await bot.DeclareAsync("sev2");
        await bot.AdvanceAsync(TimeSpan.FromMinutes(1));

        var edited = EscalationHarness.DefaultPolicy();
        edited.Levels = [Level("cto", 2), Level("dave", 2)];
        edited.Severities.Clear();
        edited.Repeats = 5;
        bot.Options.CurrentValue = edited;
        var next = await bot.DeclareAsync("sev2");
        await bot.AdvanceAsync(TimeSpan.FromHours(2));

        Assert.Equal(["+00:00:00 L1 R1 alice", "+00:15:00 L2 R1 bob", "+00:30:00 L3 R1 carol"], bot.PageLog(running));
        Assert.Equal(3, bot.State(running).Policy.Levels.Count);
        Assert.Equal(12, bot.PageLog(next).Count);
        Assert.StartsWith("+00:01:00 L1 R1 carol", bot.PageLog(next)[0]);
    }

    [Fact]
    public async Task AnInvalidEditWhileRunningIsIgnoredAndNewIncidentsKeepTheLastValidPolicy()
    {
        var bot = new EscalationHarness();
        await bot.DeclareAsync("sev2");

        var broken = EscalationHarness.DefaultPolicy();
        broken.Levels[0].Notify = ["night-owl"];
        bot.Options.CurrentValue = broken;
        var id = await bot.DeclareAsync("sev2");
        await bot.AdvanceAsync(TimeSpan.FromMinutes(31));

        Assert.Equal(["+00:00:00 L1 R1 alice", "+00:15:00 L2 R1 bob", "+00:30:00 L3 R1 carol"], bot.PageLog(id));
    }

    [Fact]
    public async Task ChangingTheSeverityOfARunningIncidentKeepsTheChainItWasDeclaredWith()
    {
        var bot = new EscalationHarness();
        var id = await bot.DeclareAsync("sev3");

        await bot.RunAsync($"/incident sev {id} 1");
        await bot.AdvanceAsync(TimeSpan.FromHours(2));

        Assert.Equal(["+00:00:00 L1 R1 alice"], bot.PageLog(id));
    }

    [Fact]
    public void WithoutConfiguredLevelsTheBuiltInChainMustStillFindItsRolesInTheRoster()
    {
        var roster = new RosterOptions { People = [new() { Name = "alice", Role = "on-call" }] };

        var problems = EscalationOptionsValidator.Problems(new EscalationOptions(), roster).ToList();

        Assert.Equal(2, problems.Count);
        Assert.StartsWith("Escalation:Levels:1:Notify names 'engineering-lead'", problems[0]);
    }

    [Fact]
    public void APolicyCopiesWhoARoleMeantAtDeclaration()
    {
        var policy = EscalationPolicies.Build(EscalationHarness.DefaultPolicy(), EscalationHarness.Roster(), Severity.Sev1);

        Assert.Equal([["alice"], ["bob"], ["carol"]], policy.Levels.Select(l => l.People));
        Assert.Equal(1, policy.Repeats);
        Assert.Equal(TimeSpan.FromMinutes(15), policy.StatusUpdateEvery);
        Assert.Equal(TimeSpan.FromMinutes(10), policy.CommanderReminderEvery);
    }

    [Fact]
    public void ValidationNamesTheKeyOfEachMistakeInOneLine()
    {
        var policy = EscalationHarness.DefaultPolicy();
        policy.Levels[1].Notify = ["night-owl"];
        policy.Levels[2].EscalateAfter = TimeSpan.Zero;
        policy.Repeats = 11;
        policy.Severities["sev4"] = new();
        policy.Severities["Sev1"].StatusUpdateEvery = TimeSpan.FromMilliseconds(10);

        var problems = EscalationOptionsValidator.Problems(policy, EscalationHarness.Roster()).ToList();

        Assert.Equal(
        [
            "Escalation:Levels:1:Notify names 'night-owl', which is neither a person nor a role in the roster (roles: on-call, engineering-lead, cto, developer)",
            "Escalation:Levels:2:EscalateAfter is 00:00:00; it must be at least 00:00:01",
            "Escalation:Repeats is 11; it must be between 0 and 10",
            "Escalation:Severities:Sev1:StatusUpdateEvery is 00:00:00.0100000; use 00:00:00 to turn it off or at least 00:00:01",
            "Escalation:Severities:sev4: 'sev4' is not a severity; use Sev1, Sev2 or Sev3",
        ], problems);
        Assert.All(problems, p => Assert.DoesNotContain('\n', p));
    }

    [Fact]
    public void TheShippedPolicyIsValid()
    {
        Assert.Empty(EscalationOptionsValidator.Problems(EscalationHarness.DefaultPolicy(), EscalationHarness.Roster()));
    }

    private static EscalationLevelOptions Level(string who, int minutes) => new() { Notify = [who], EscalateAfter = TimeSpan.FromMinutes(minutes) };
}
