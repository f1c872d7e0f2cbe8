using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace IncidentBot.Clerk.Http;

/// <summary>
/// Clerk limits Backend API calls per secret key. One sliding window per key, counted the way that can never trip
/// Clerk's own count: a call takes a place in the window when it is sent and keeps it until one window after its
/// answer came (or the attempt failed). Clerk counts a call when it arrives, which is somewhere between the two, so a
/// call whose journey was slow can't still be in Clerk's window when the client thinks its place is free; sending
/// the next one then would be answered 429. The cost is a round trip per window (about 2% at 200 ms against 10 s).
/// </summary>
public sealed class ClerkRateLimiter(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Window> _windows = new();

    /// <summary>How many calls went out on each key (by fingerprint, never the key).</summary>
    public long Sent => _windows.Values.Sum(w => w.Sent);

    public long Waited => _windows.Values.Sum(w => w.Waits);

    /// <summary>Waits for a place in the key's window; dispose the permit when the answer came or the attempt failed.</summary>
    public Task<Permit> AcquireAsync(string secretKey, int permits, TimeSpan window, CancellationToken cancellationToken) =>
        _windows.GetOrAdd(Fingerprint(secretKey), _ => new Window(time)).AcquireAsync(permits, window, cancellationToken);

    private static string Fingerprint(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16];

    /// <summary>A call's place in its key's window: held while the call is in flight, then for one window after.</summary>
    public sealed class Permit : IDisposable
    {
        private readonly Window _window;
        private int _answered;

        internal Permit(Window window) => _window = window;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _answered, 1) == 0)
            {
                _window.Answered();
            }
        }
    }

    internal sealed class Window(TimeProvider time)
    {
        // One caller at a time waits for a place, so places go out in the order they were asked for.
        private readonly SemaphoreSlim _turn = new(1, 1);
        private readonly Lock _lock = new();
        private readonly Queue<DateTimeOffset> _answered = new();
        private int _inFlight;
        private TaskCompletionSource _nextAnswer = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public long Sent { get; private set; }

        public long Waits { get; private set; }

        public async Task<Permit> AcquireAsync(int permits, TimeSpan window, CancellationToken cancellationToken)
        {
            await _turn.WaitAsync(cancellationToken);
            try
            {
                while (true)
                {
                    Task? answer = null;
                    var wait = TimeSpan.Zero;
                    lock (_lock)
                    {
                        var now = time.GetUtcNow();
                        while (_answered.Count > 0 && _answered.Peek() <= now - window)
                        {
                            _answered.Dequeue();
                        }

                        if (_inFlight + _answered.Count < permits)
                        {
                            _inFlight++;
                            Sent++;
                            return new Permit(this);
                        }

                        Waits++;
                        // The oldest answered call leaves first; with every place in flight, the next answer says when.
                        if (_answered.Count > 0)
                        {
                            wait = _answered.Peek() + window - now;
                        }
                        else
                        {
                            answer = _nextAnswer.Task;
                        }
                    }

                    await (answer?.WaitAsync(cancellationToken) ?? Task.Delay(wait, time, cancellationToken));
                }
            }
            finally
            {
                _turn.Release();
            }
        }

        internal void Answered()
        {
            TaskCompletionSource answered;
            lock (_lock)
            {
                _inFlight--;
                _answered.Enqueue(time.GetUtcNow());
                answered = _nextAnswer;
                _nextAnswer = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            answered.TrySetResult();
        }
    }
}

/// <summary>
/// Takes a place in the key's window before every attempt (retries included), then gives the attempt
/// <see cref="ClerkRetryOptions.AttemptTimeoutSeconds"/> to be answered: the time an attempt queues for a place
/// (several resync walkers share one key) is not time Clerk failed to answer. The place is held until the answer's
/// headers came (or the attempt failed), and for one window after.
/// </summary>
public sealed class ClerkRateLimitHandler(ClerkRateLimiter limiter, IOptions<ClerkOptions> options, TimeProvider time) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var o = options.Value;
        using var permit = await limiter.AcquireAsync(o.SecretKey, o.RateLimit.PermitsFor(o.KeyEnvironment), TimeSpan.FromSeconds(o.RateLimit.WindowSeconds), cancellationToken);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(o.Retry.AttemptTimeoutSeconds), time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        return await base.SendAsync(request, linked.Token);
    }
}
