using IncidentBot.Sandbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Tests.Support;

/// <summary>
/// The Clerk client's requests on the wire, counted by a handler on every HTTP client of a harness (an answer counts as
/// done once its body is read), so fake time jumps only while every request in flight is one the sandbox holds.
/// </summary>
public sealed class ClientInFlight
{
    private int _count;

    /// <summary>Adds the counting handler to every HTTP client built from <paramref name="services"/>.</summary>
    public void CountOn(IServiceCollection services) =>
        services.ConfigureAll<HttpClientFactoryOptions>(o => o.HttpMessageHandlerBuilderActions.Add(b => b.AdditionalHandlers.Add(new Counting(this))));

    /// <summary>Waits for <paramref name="work"/>, moving <paramref name="time"/> on by <paramref name="step"/> whenever it is stuck only on requests the sandbox holds on purpose (a timeout).</summary>
    public async Task DriveAsync(Task work, ClerkSandbox sandbox, FakeTimeProvider time, TimeSpan step)
    {
        while (!work.IsCompleted)
        {
            await Task.WhenAny(work, Task.Delay(1));
            // Only jump when every request on the wire is one the sandbox holds on purpose (a timeout).
            if (!work.IsCompleted && Volatile.Read(ref _count) == sandbox.Hung && sandbox.InFlight == sandbox.Hung)
            {
                time.Advance(step);
            }
        }

        await work;
    }

    private sealed class Counting(ClientInFlight counter) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref counter._count);
            try
            {
                var response = await base.SendAsync(request, cancellationToken);
                await response.Content.LoadIntoBufferAsync(cancellationToken);
                return response;
            }
            finally
            {
                Interlocked.Decrement(ref counter._count);
            }
        }
    }
}
