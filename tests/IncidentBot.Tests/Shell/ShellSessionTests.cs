using IncidentBot.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Tests.Shell;

public sealed class ShellSessionTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 3, 2, 0, TimeSpan.Zero);
    private readonly TestFolder _folder = new();
    private readonly FakeTimeProvider _time = new(Start);

    [Fact]
    public async Task AWholeAuthOutageRunsThroughTheShellAndWritesTheReport()
    {
        var minute = TimeSpan.FromMinutes(1);
        var output = await ShellHost.RunAsync(_time, _folder,
        [
            (TimeSpan.Zero, "/incident declare auth-outage sev1 Users cannot sign in"),
            (TimeSpan.Zero, "/incident affected user_2abc alice@example.com"),
            (4 * minute, "/as bob"),
            (TimeSpan.Zero, "/incident ack"),
            (TimeSpan.Zero, "/incident commander bob"),
            (2 * minute, "/click 1"),
            (TimeSpan.Zero, "/incident step done"),
            (3 * minute, "/incident step done"),
            (TimeSpan.Zero, "/incident step skip"),
            (TimeSpan.Zero, "/incident step skip keys verified by the deploy pipeline"),
            (5 * minute, "/incident step choose clerk-outage"),
            (TimeSpan.Zero, "/incident mitigate"),
            (TimeSpan.Zero, "/incident step done"),
            (TimeSpan.Zero, "/incident step skip no bypass hook is configured here"),
            (2 * minute, "/incident step done"),
            (10 * minute, "/incident monitor"),
            (TimeSpan.Zero, "/incident step done"),
            (TimeSpan.Zero, "/incident step skip no bypass hook is configured"),
            (TimeSpan.Zero, "sign-in works again for the canary account"),
            (TimeSpan.Zero, "/incident note root-cause: Clerk's session API was degraded in us-east"),
            (TimeSpan.Zero, "/incident note resolution: emergency bypass until Clerk recovered, then turned off"),
            (TimeSpan.Zero, "/incident note prevention: alert on Clerk 5xx from the middleware"),
            (TimeSpan.Zero, "/incident note lesson: the bypass runbook worked; practise it"),
            (30 * minute, "/incident resolve"),
            (TimeSpan.Zero, "/click 1"),
            (TimeSpan.Zero, "/incident step done"),
            (TimeSpan.Zero, "/incident step done"),
            (TimeSpan.Zero, "/incident report"),
        ]);

        // Background posts (the status watch, step automation) may land between a command and its answer: compare order, not adjacency.
        Assert.True(output.IndexOf("bob@INC-1> /incident ack\n", StringComparison.Ordinal) is var ack and >= 0 && output.IndexOf("bot: INC-1 is Investigating (acknowledged by bob).", ack, StringComparison.Ordinal) > ack, output);
        Assert.Contains("bot: Step 1 done: Confirm outage (check status.clerk.com) (bob).", output);
        Assert.Contains("bot (!): Skipping a step needs a reason: `/incident step INC-1 skip <reason>`.", output);
        Assert.Contains("bot: == INC-1 · Step 5 of 11: Is this a Clerk outage or an application issue? ==", output);
        Assert.Contains("[11] Clerk outage (clerk-outage)  [12] Application issue (app-issue)", output);
        Assert.Contains("bot: Step 5 answered: Clerk outage (bob).", output);
        Assert.Contains("bot (!): This button is stale: that step was already done by bob at 03:08 UTC", output);
        Assert.Contains("bot (!): Step 6 (Enable emergency bypass (if safe)) can't be marked done: the bot could not request it: No hook 'emergency-bypass-on' is configured", output);
        Assert.Contains("Request it again with `/incident hook INC-1 emergency-bypass-on`, or skip the step with `/incident step INC-1 skip <reason>`.", output);
        Assert.Contains("bot: INC-1: all steps of Auth outage response are finished.", output);

        var report = File.ReadAllText(Path.Combine(_folder.Reports, "INC-1.md"));
        Assert.Contains("- **Duration:** 56 minutes\n", report);
        Assert.Contains("- **Time to acknowledge:** 4 minutes (by bob)", report);
        Assert.Contains("- **Impact:** 2 affected users recorded", report);
        Assert.Contains("- 03:02 - Incident detected (declared by alice)\n- 03:06 - Initial response (acknowledged by bob)\n- 03:28 - Mitigation applied (bob)\n- 03:58 - Resolution confirmed (resolved by bob)", report);
        Assert.Contains("## Root Cause\nClerk's session API was degraded in us-east", report);
        Assert.Contains("## Prevention\n- [ ] alert on Clerk 5xx from the middleware", report);
        Assert.Contains("## Lessons Learned\nthe bypass runbook worked; practise it", report);
        Assert.Contains("· bob · message · sign-in works again for the canary account", report);
        Assert.Contains("- 03:11 Verify environment variables: skipped (keys verified by the deploy pipeline) by bob", report);
        Assert.Contains("Runbook steps (Auth outage response, all 11 steps finished):", report);
        Assert.Contains($"Report for INC-1 written to {Path.Combine(_folder.Reports, "INC-1.md")}.", output);
    }

    [Fact]
    public async Task ShellLinesThatAreNotCommandsGetAClearAnswer()
    {
        var output = await ShellHost.RunAsync(_time, _folder,
        [
            (TimeSpan.Zero, "hello before any incident"),
            (TimeSpan.Zero, "/as mallory"),
            (TimeSpan.Zero, "/click 42"),
            (TimeSpan.Zero, "/frobnicate"),
            (TimeSpan.Zero, "/incident"),
        ]);

        Assert.Contains("bot (!): No incident yet, so this message is not recorded.", output);
        Assert.Contains("bot (!): Nobody called 'mallory' in the roster: alice (on-call), bob (engineering-lead), carol (cto).", output);
        Assert.Contains("bot (!): There is no button '42'", output);
        Assert.Contains("bot (!): Unknown shell command '/frobnicate'", output);
        Assert.Contains("bot (!): Say what to do:", output);
    }

    [Fact]
    public async Task ARestartedShellResumesEveryIncidentWhereItWas()
    {
        await ShellHost.RunAsync(_time, _folder,
        [
            (TimeSpan.Zero, "/incident declare security sev2 Stolen sessions"),
            (TimeSpan.Zero, "/incident ack"),
            (TimeSpan.Zero, "/incident step done"),
            (TimeSpan.Zero, "/incident step skip Clerk is not configured in this test"),
        ]);

        var output = await ShellHost.RunAsync(_time, _folder,
        [
            (TimeSpan.Zero, "/incident status INC-1"),
            (TimeSpan.Zero, "/incident step done"),
            (TimeSpan.Zero, "/incident step skip locked by hand"),
            (TimeSpan.Zero, "/incident declare performance sev3 Slow sign-in"),
        ]);

        Assert.Contains("Now: step 3 of 8: Mark their passwords compromised", output);
        Assert.Contains("bot (!): Step 3 (Mark their passwords compromised) can't be marked done: the bot could not request it: Name the users (ids or emails), or record them first with `/incident affected INC-1 <users>`.", output);
        Assert.Contains("bot: Step 3 skipped: Mark their passwords compromised (alice: locked by hand). Outcome: the bot could not request it:", output);
        Assert.Contains("declared INC-2: Slow sign-in", output);
    }

    [Fact]
    public async Task ADeclareWithTwoMistakesNamesBothAndHelpStartsWithTheMostUsedCommands()
    {
        var output = await ShellHost.RunAsync(_time, _folder,
        [
            (TimeSpan.Zero, "/incident declare bogus-category sev9 Users cannot sign in"),
            (TimeSpan.Zero, "/incident help"),
        ]);

        Assert.True(output.Contains("bot (!): 2 problems with `/incident declare`:\nbot (!): - Unknown category 'bogus-category': use one of ", StringComparison.Ordinal), output);
        Assert.Contains("\nbot (!): - 'sev9' is not a severity: use sev1, sev2 or sev3.\nbot (!): Usage: `/incident declare ", output);
        Assert.DoesNotContain("declared INC-1", output);
        var help = output[output.IndexOf("/incident help\n", StringComparison.Ordinal)..];
        var first = new[] { "declare", "status", "ack", "note", "step" }.Select(n => help.IndexOf($"`/incident {n} ", StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(-1, first);
        Assert.Equal(first.Order(), first);
        Assert.True(first[^1] < help.IndexOf("`/incident affected ", StringComparison.Ordinal));
        Assert.All(Core.Commands.Handlers.HelpHandler.MostUsed, name =>
            Assert.True(help.Contains($"`/incident {name} ", StringComparison.Ordinal) || help.Contains($"`/incident {name}`", StringComparison.Ordinal), name)); // none renamed away
    }

    [Fact]
    public async Task WithALiveClerkKeyNobodyCanBecomeSomeoneElseAtTheTerminal()
    {
        var output = await ShellHost.RunAsync(_time, _folder, [(TimeSpan.Zero, "/as bob"), (TimeSpan.Zero, "/incident help ack")],
            new Dictionary<string, string?> { ["Clerk:SecretKey"] = "sk_live_" + "shellguard" });

        Assert.Contains("bot (!): /as is off while Clerk:SecretKey is a live key", output);
        Assert.DoesNotContain("You are now bob", output);
        Assert.DoesNotContain("shellguard", output);
    }

    [Fact]
    public async Task ThePromptNamesTheCurrentIncidentAndAStaleClickNeverChangesIt()
    {
        var output = await ShellHost.RunAsync(_time, _folder,
        [
            (TimeSpan.Zero, "/incident help ack"),
            (TimeSpan.Zero, "/incident declare performance sev3 Slow sign-in"),
            (TimeSpan.Zero, "/incident declare security sev2 Stolen sessions"),
            (TimeSpan.Zero, "/click 1"),
            (TimeSpan.Zero, "users report being logged out"),
            (TimeSpan.Zero, "/incident ack"),
        ]);

        Assert.Contains("alice> /incident help ack\n", output);
        Assert.Contains("alice@INC-1> /incident declare security sev2 Stolen sessions\n", output);
        // Button 1 belongs to INC-1's card: pressing it acts on INC-1, yet the next lines are still about INC-2.
        Assert.Contains("alice@INC-2> /click 1\n", output);
        Assert.Contains("alice@INC-2> users report being logged out\nbot: noted on INC-2.\n", output);
        Assert.Contains("alice@INC-2> /incident ack\n", output);
        Assert.Contains("INC-2 is Investigating (acknowledged by alice).", output);
    }

    [Theory]
    [InlineData("exit")]
    [InlineData("QUIT")]
    public async Task ExitAndQuitEndTheShellWithoutBecomingAMessage(string word)
    {
        var output = await ShellHost.RunAsync(_time, _folder,
        [
            (TimeSpan.Zero, "/incident declare performance sev3 Slow sign-in"),
            (TimeSpan.Zero, word),
            (TimeSpan.Zero, "/incident ack"),
        ]);

        Assert.Contains($"alice@INC-1> {word}\nBye.\n", output);
        Assert.DoesNotContain("noted on", output);
        Assert.DoesNotContain("> /incident ack", output);

        // The storage was closed: a new shell on the same file opens it and INC-1 has no message and no ack.
        var again = await ShellHost.RunAsync(_time, _folder, [(TimeSpan.Zero, "/incident status INC-1")]);
        Assert.DoesNotContain("acknowledged by", again);
        Assert.DoesNotContain("noted on", again);
    }

    [Fact]
    public async Task StoppingTheHostTheWayCtrlCDoesEndsTheShellWaitingForInputAtOnce()
    {
        var output = new StringWriter();
        using var input = new NeverEndingInput();
        using var host = ShellHost.Build(input, output, _time, _folder);
        await host.StartAsync();
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        await input.Reading.WaitAsync(TimeSpan.FromSeconds(20));

        // What ConsoleLifetime does on SIGINT: stop the application. The shell is blocked in a read that ignores the token.
        lifetime.StopApplication();
        // Without the shell honouring the stop, the host would wait out its 30-second shutdown timeout.
        await host.WaitForShutdownAsync().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Contains("IncidentBot shell.", output.ToString());
    }

    /// <summary>Like Console.In: a read blocks until a line comes and does not look at the cancellation token.</summary>
    private sealed class NeverEndingInput : TextReader
    {
        private readonly ManualResetEventSlim _never = new();
        private readonly TaskCompletionSource _reading = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Reading => _reading.Task;

        public override string? ReadLine()
        {
            _reading.TrySetResult();
            _never.Wait();
            return null;
        }

        public override ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken) => ValueTask.FromResult(ReadLine());

        protected override void Dispose(bool disposing)
        {
            _never.Set();
            _never.Dispose();
            base.Dispose(disposing);
        }
    }

    public void Dispose() => _folder.Dispose();
}
