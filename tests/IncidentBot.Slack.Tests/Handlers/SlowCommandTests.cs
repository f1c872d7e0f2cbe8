using IncidentBot.Core.Commands;
using IncidentBot.Core.Messaging;
using IncidentBot.Slack.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Slack.Tests.Handlers;

public sealed class SlowCommandTests
{
    [Fact]
    public async Task ACommandStillRunningAtTheAckBudgetIsAcknowledgedAndItsLaterFailureReachesTheUser()
    {
        var slow = new SlowHandler();
        await using var slack = await SlackEmulator.StartAsync();
        await using var bot = await TestBot.StartAsync(slack, services: s => s.AddSingleton<ICommandHandler>(slow));

        var acking = bot.CommandAsync(Payloads.SlashCommand("slow", responseUrl: $"{slack.BaseUrl}/hooks/commands/slow"));
        await slow.Entered.WaitAsync(TimeSpan.FromSeconds(20));
        while (await bot.Time.NextTimerAsync() != TimeSpan.FromSeconds(2))
        {
            // other timers of the host; the one wanted is the 2-second acknowledgement budget
        }

        bot.Time.Advance(TimeSpan.FromSeconds(2));
        var ack = await (await acking).Content.ReadAsStringAsync();
        Assert.Contains("Working on it", ack, StringComparison.Ordinal);

        slow.Fail(new InvalidOperationException("Clerk did not answer"));
        await slack.WhenAsync(e => !e.Responses.IsEmpty, "the late answer on the response_url");

        var told = Assert.Single(slack.Responses).Body;
        Assert.Contains("That failed: Clerk did not answer", told["text"]!.ToString(), StringComparison.Ordinal);
        Assert.Equal("ephemeral", (string?)told["response_type"]);
    }

    /// <summary>A command that runs until the test lets it fail, like a slow Clerk call.</summary>
    private sealed class SlowHandler : ICommandHandler
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource<Reply> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CommandSpec Spec { get; } = new("slow", "slow", "A slow test command.", NeedsIncident: false);

        public Task Entered => _entered.Task;

        public void Fail(Exception e) => _outcome.SetException(e);

        public Task<Reply> HandleAsync(CommandRequest request, CancellationToken cancellationToken)
        {
            _entered.TrySetResult();
            return _outcome.Task;
        }
    }
}
