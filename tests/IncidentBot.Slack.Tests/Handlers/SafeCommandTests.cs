using IncidentBot.Core.Commands;
using IncidentBot.Core.Messaging;
using IncidentBot.Slack.Handlers;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Slack.Tests.Handlers;

public sealed class SafeCommandTests
{
    [Fact]
    public async Task ACommandThatThrowsBecomesARefusalAndAnErrorInTheLog()
    {
        var log = new ListLogger();

        var result = await SafeCommand.RunAsync(() => throw new InvalidOperationException("the store is gone"), log, "Button 'step INC-1 done'");

        Assert.Equal(MessageKind.Warning, result.Reply.Message.Kind);
        Assert.Equal("That failed: the store is gone. The log has the details.", result.Reply.Message.Text);
        var (level, text, error) = Assert.Single(log.Entries);
        Assert.Equal(LogLevel.Error, level);
        Assert.Equal("Button 'step INC-1 done' failed", text);
        Assert.IsType<InvalidOperationException>(error);
    }

    [Fact]
    public async Task ACommandThatFailsAfterItsFirstAwaitIsCaughtToo()
    {
        var log = new ListLogger();
        var gate = new TaskCompletionSource();

        var work = SafeCommand.RunAsync(async () =>
        {
            await gate.Task;
            throw new HttpRequestException("Clerk hung up");
        }, log, "Slash command 'ban x'");
        gate.SetResult();
        var result = await work;

        Assert.Contains("Clerk hung up", result.Reply.Message.Text, StringComparison.Ordinal);
        Assert.Single(log.Entries);
    }

    [Fact]
    public async Task ASuccessfulCommandIsPassedThrough()
    {
        var expected = new CommandResult(Reply.Text("INC-1 acknowledged"), "INC-1");

        Assert.Same(expected, await SafeCommand.RunAsync(() => Task.FromResult(expected), new ListLogger(), "x"));
    }

    private sealed class ListLogger : ILogger
    {
        public List<(LogLevel Level, string Text, Exception? Error)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception), exception));
    }
}
