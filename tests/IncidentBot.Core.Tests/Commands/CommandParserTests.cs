using IncidentBot.Core.Commands;
using IncidentBot.Core.Tests.Support;
using IncidentBot.Tests.Support;

namespace IncidentBot.Core.Tests.Commands;

public sealed class CommandParserTests : IDisposable
{
    private readonly CoreHarness _core = new();

    private CommandParser Parser => _core.Router.Parser;

    [Theory]
    [InlineData("/incident declare auth-outage sev1 Users cannot sign in", "declare", null, "auth-outage sev1 Users cannot sign in")]
    [InlineData("declare auth-outage sev1 Users cannot sign in", "declare", null, "auth-outage sev1 Users cannot sign in")]
    [InlineData("/incident ack INC-3", "ack", "INC-3", "")]
    [InlineData("/incident ACK inc-12", "ack", "INC-12", "")]
    [InlineData("/incident   note   INC-3   root-cause:  expired key ", "note", "INC-3", "root-cause:  expired key")]
    [InlineData("/incident step skip no logs available", "step", null, "skip no logs available")]
    [InlineData("/incident status", "status", null, "")]
    public void ReadsTheSubcommandTheOptionalIncidentAndTheRest(string line, string name, string? incident, string text)
    {
        var parsed = Assert.IsType<Parsed>(Parser.Parse(line));

        Assert.Equal((name, incident, text), (parsed.Spec.Name, parsed.IncidentId, parsed.Text));
    }

    [Theory]
    [InlineData("/incident stauts", "Unknown command 'stauts'. Did you mean `/incident status [INC-n]`")]
    [InlineData("/incident acknowledge", "Unknown command 'acknowledge'. Did you mean `/incident ack [INC-n]`")]
    [InlineData("/incident resolv INC-2", "Unknown command 'resolv'. Did you mean `/incident resolve [INC-n]`")]
    [InlineData("/incident xyzzyplugh", "Unknown command 'xyzzyplugh'. `/incident help` lists them all.")]
    [InlineData("/incident", "Say what to do: `/incident help [command]`")]
    public void AnUnknownCommandAnswersWithTheNearestUsage(string line, string expected)
    {
        var failed = Assert.IsType<ParseFailed>(Parser.Parse(line));

        Assert.StartsWith(expected, failed.Message);
    }

    [Theory]
    [InlineData("/incident declare", "Declaring needs a category")]
    [InlineData("/incident declare auth-outage", "The severity is missing: sev1, sev2 or sev3.")]
    [InlineData("/incident declare auth-outage sev9 Broken", "'sev9' is not a severity: use sev1, sev2 or sev3.")]
    [InlineData("/incident declare billing sev1 Broken", "Unknown category 'billing': use one of")]
    [InlineData("/incident sev INC-1 7", "Give the new severity as 1, 2 or 3.")]
    [InlineData("/incident note INC-1", "The note is empty.")]
    [InlineData("/incident step INC-1 skip", "Skipping a step needs a reason: `/incident step INC-1 skip <reason>`.")]
    [InlineData("/incident step INC-1 jump", "'jump' is not done, skip or choose.")]
    [InlineData("/incident affected INC-1 not-a-user", "Not a Clerk user id (user_...) or an email: not-a-user.")]
    [InlineData("/incident commander INC-1 @mallory", "Nobody called '@mallory' is in the roster (known: alice, bob, carol).")]
    [InlineData("/incident cancel INC-1", "Cancelling needs a reason.")]
    [InlineData("/incident ack", "Which incident? Name it, e.g. `/incident ack INC-3`")]
    [InlineData("/incident ack INC-99", "There is no incident INC-99.")]
    public async Task MalformedArgumentsGetASpecificAnswerAndChangeNothing(string line, string expected)
    {
        await _core.RunAsync("/incident declare auth-outage sev1 Users cannot sign in");
        var before = _core.Store.Timeline("INC-1").Count;

        var result = await _core.RunAsync(line, channel: "C-not-an-incident-channel");

        Assert.Contains(expected, result.Reply.Message.Text);
        Assert.Equal(before, _core.Store.Timeline("INC-1").Count);
    }

    [Theory]
    [InlineData("/incident declare bogus-category sev9",
        "3 problems with `/incident declare`:", "- Unknown category 'bogus-category': use one of", "- 'sev9' is not a severity: use sev1, sev2 or sev3.", "- The title is missing")]
    [InlineData("/incident declare bogus-category sev9 Users cannot sign in",
        "2 problems with `/incident declare`:", "- Unknown category 'bogus-category'", "- 'sev9' is not a severity")]
    [InlineData("/incident step INC-x1 jump", "2 problems with `/incident step`:", "- 'INC-x1' is not an incident id: write INC- and its number, e.g. INC-3.", "- 'jump' is not done, skip or choose.")]
    [InlineData("/incident step INC-99 jump", "2 problems with `/incident step`:", "- There is no incident INC-99.", "- 'jump' is not done, skip or choose.")]
    [InlineData("/incident step INC-99 skip", "- There is no incident INC-99.", "- Skipping a step needs a reason: `/incident step INC-n skip <reason>`.")]
    [InlineData("/incident step jump", "2 problems with `/incident step`:", "- Which incident? Name it", "- 'jump' is not done, skip or choose.")]
    [InlineData("/incident commander INC-99 @mallory", "- There is no incident INC-99.", "- Nobody called '@mallory' is in the roster")]
    [InlineData("/incident sev INC-0x 9", "- 'INC-0x' is not an incident id", "- Give the new severity as 1, 2 or 3.")]
    [InlineData("/incident affected INC-77 not-a-user", "- There is no incident INC-77.", "- Not a Clerk user id (user_...) or an email: not-a-user.")]
    public async Task ACommandWithSeveralMistakesNamesThemAllInOneAnswerAndChangesNothing(string line, params string[] expected)
    {
        await _core.RunAsync("/incident declare auth-outage sev1 Users cannot sign in");
        var before = (_core.Store.Timeline("INC-1").Count, _core.Incidents.List(openOnly: false).Count);

        var result = await _core.RunAsync(line, channel: "C-not-an-incident-channel");

        var text = result.Reply.Message.Text;
        Assert.IsType<Refused>(result.Reply.Outcome);
        foreach (var part in expected)
        {
            Assert.Contains(part, text);
        }

        Assert.EndsWith("Usage: " + _core.Router.Parser.Find(line.Split(' ')[1])!.UsageLine, text);
        Assert.Equal(before, (_core.Store.Timeline("INC-1").Count, _core.Incidents.List(openOnly: false).Count));
    }

    [Fact]
    public void ANoteThatStartsWithAnIncidentsNameIsStillANote()
    {
        var parsed = Assert.IsType<Parsed>(Parser.Parse("/incident note INC-2's fix was rolled back"));

        Assert.Null(parsed.IncidentId);
        Assert.Empty(parsed.Problems);
        Assert.Equal("INC-2's fix was rolled back", parsed.Text);
    }

    [Fact]
    public async Task HelpListsTheMostUsedCommandsFirstThenTheRest()
    {
        var text = (await _core.RunAsync("/incident help")).Reply.Message.Text;
        int At(string name) => text.IndexOf($"`/incident {name}", StringComparison.Ordinal);

        Assert.StartsWith("Most used:\n`/incident declare ", text);
        // escalate is between commander and sev in the host, which adds escalation (the shell test sees it there).
        var order = new[] { "declare", "status", "ack", "note", "step", "commander", "sev", "mitigate", "monitor", "resolve", "report", "close", "list", "timeline" };
        Assert.All(order, name => Assert.True(At(name) >= 0, $"{name} is not in help (renamed? then update HelpHandler.MostUsed)"));
        Assert.Equal(order.OrderBy(At), order);
        var rarer = text.IndexOf("The rest:", StringComparison.Ordinal);
        Assert.True(rarer > At("timeline"));
        foreach (var name in new[] { "affected", "approve", "audit", "cancel", "deny", "help", "reopen" })
        {
            Assert.True(At(name) > rarer, $"{name} should be among the rarer commands");
        }
    }

    [Fact]
    public async Task HelpForOneCommandShowsItsUsage()
    {
        var result = await _core.RunAsync("/incident help step");

        Assert.Equal("`/incident step [INC-n] done | skip <reason> | choose <branch>`: Mark the current runbook step done, skip it, or answer a choice.", result.Reply.Message.Text);
    }

    [Fact]
    public async Task HelpListsEveryCommand()
    {
        var text = (await _core.RunAsync("/incident help")).Reply.Message.Text;

        foreach (var name in new[] { "declare", "status", "list", "ack", "mitigate", "monitor", "sev", "commander", "note", "affected", "step", "resolve", "reopen", "close", "cancel", "timeline", "report", "help" })
        {
            Assert.Contains($"`/incident {name}", text);
        }
    }

    public void Dispose() => _core.Dispose();
}
