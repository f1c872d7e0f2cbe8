using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace IncidentBot.Clerk.Http;

/// <summary>
/// Clerk limits Backend API calls per secret key. One sliding window per key: a call goes out only when fewer
/// than the permitted number went out in the last window; otherwise it waits for the oldest to leave it.
/// </summary>
public sealed class ClerkRateLimiter(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Window> _windows = new();

    /// <summary>How many calls went out on each key (by fingerprint, never the key).</summary>
    public long Sent => _windows.Values.Sum(w => w.Sent);

    public long Waited => _windows.Values.Sum(w => w.Waits);

    public Task WaitAsync(string secretKey, int permits, TimeSpan window, CancellationToken cancellationToken) =>
        _windows.GetOrAdd(Fingerprint(secretKey), _ => new Window(time)).WaitAsync(permits, window, cancellationToken);

    private static string Fingerprint(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16];

    private sealed class Window(TimeProvider time)
    {
        private readonly SemaphoreSlim _gate = new(1, 1);
        private readonly Queue<DateTimeOffset> _sent = new();

        public long Sent { get; private set; }

        public long Waits { get; private set; }

        public async Task WaitAsync(int permits, TimeSpan window, CancellationToken cancellationToken)
        {
            await _gate.WaitAsync(cancellationToken);
            try
            {
                while (true)
                {
                    var now = time.GetUtcNow();
                    while (_sent.Count > 0 && _sent.Peek() <= now - window)
                    {
                        _sent.Dequeue();
                    }

                    if (_sent.Count < permits)
                    {
                        _sent.Enqueue(now);
                        Sent++;
                        return;
                    }

                    Waits++;
                    await Task.Delay(_sent.Peek() + window - now, time, cancellationToken);
                }
            }
            finally
            {
                _gate.Release();
            }
        }
    }
}

/// <summary>Takes a permit from the key's window before every attempt (retries included).</summary>
/// <summary>
/// Waits for a permit, then gives the attempt <see cref="ClerkRetryOptions.AttemptTimeoutSeconds"/> to be answered:
/// the time an attempt queues for a permit (several resync walkers share one key) is not time Clerk failed to answer.
/// </summary>
public sealed class ClerkRateLimitHandler(ClerkRateLimiter limiter, IOptions<ClerkOptions> options, TimeProvider time) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var o = options.Value;
        await limiter.WaitAsync(o.SecretKey, o.RateLimit.PermitsFor(o.KeyEnvironment), TimeSpan.FromSeconds(o.RateLimit.WindowSeconds), cancellationToken);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(o.Retry.AttemptTimeoutSeconds), time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        return await base.SendAsync(request, linked.Token);
    }
}
