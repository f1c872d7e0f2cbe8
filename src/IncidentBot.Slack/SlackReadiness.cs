using IncidentBot.Core.Health;
using IncidentBot.Slack.Api;

namespace IncidentBot.Slack;

/// <summary>Ready when Slack accepts the bot token (auth.test), asked at most once a minute whatever polls /readyz.</summary>
public sealed class SlackReadiness(ISlackApi api, TimeProvider time) : IReadinessCheck
{
    private static readonly TimeSpan Fresh = TimeSpan.FromMinutes(1);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (DateTimeOffset At, Readiness Answer)? _last;

    public string Name => "slack";

    public async Task<Readiness> CheckAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_last is { } last && time.GetUtcNow() - last.At < Fresh)
            {
                return last.Answer;
            }

            Readiness answer;
            try
            {
                var me = await api.AuthTestAsync(cancellationToken);
                answer = Readiness.Ok($"the bot token works (bot user {me.UserId})");
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                answer = Readiness.NotReady($"Slack refuses the bot token or does not answer: {(e is OperationCanceledException ? "no answer in time" : e.Message)}");
            }

            _last = (time.GetUtcNow(), answer);
            return answer;
        }
        finally
        {
            _gate.Release();
        }
    }
}
