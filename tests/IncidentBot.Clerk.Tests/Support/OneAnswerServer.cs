using System.Net;
using System.Net.Sockets;
using IncidentBot.Clerk.Api;

namespace IncidentBot.Clerk.Tests.Support;

/// <summary>
/// A server on 127.0.0.1 that reads one request's headers, answers with exactly <c>answer</c> (a status line,
/// headers, maybe part of a body) and then holds the connection open until stopped: the answers a real HTTP server
/// can't be made to give, for the Clerk client alone.
/// </summary>
public sealed class OneAnswerServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();

    public OneAnswerServer(byte[] answer)
    {
        _listener.Start();
        Serving = Task.Run(() => ServeAsync(answer, _stop.Token));
    }

    /// <summary>Ends by cancellation once <see cref="StopAsync"/> is called.</summary>
    public Task Serving { get; }

    /// <summary>The Clerk client on this server, without the project's handlers.</summary>
    public ClerkClient Client(TimeProvider? time = null) => new(new HttpClient(), Microsoft.Extensions.Options.Options.Create(new ClerkOptions
    {
        ApiUrl = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/v1", SecretKey = "sk_test_one_answer",
    }), time);

    public Task StopAsync() => _stop.CancelAsync();

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        _stop.Dispose();
    }

    private async Task ServeAsync(byte[] answer, CancellationToken cancellationToken)
    {
        using var socket = await _listener.AcceptTcpClientAsync(cancellationToken);
        var stream = socket.GetStream();
        var seen = new List<byte>();
        var one = new byte[1];
        while (!(seen.Count >= 4 && seen[^4] == '\r' && seen[^3] == '\n' && seen[^2] == '\r' && seen[^1] == '\n') && await stream.ReadAsync(one, cancellationToken) == 1)
        {
            seen.Add(one[0]);
        }

        await stream.WriteAsync(answer, cancellationToken);
        await Task.Delay(Timeout.Infinite, cancellationToken);
    }
}
