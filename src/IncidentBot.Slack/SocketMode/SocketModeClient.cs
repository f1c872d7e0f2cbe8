using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using IncidentBot.Slack.Api;
using IncidentBot.Slack.Inbound;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IncidentBot.Slack.SocketMode;

/// <summary>
/// Socket Mode: asks apps.connections.open for a URL (a fresh one for every connection), reads envelopes from the
/// WebSocket and hands each envelope, on its own task, to the same dispatcher as HTTP, acknowledging it by envelope_id
/// from there (so one slow envelope doesn't hold up the next one's acknowledgement). On <c>disconnect</c> it
/// opens the next connection before closing the old one; when a socket drops it reconnects, backing off on repeated failures.
/// </summary>
public sealed class SocketModeClient(
    ISlackApi api,
    SlackDispatcher dispatcher,
    SlackEventDeduper deduper,
    IOptions<SlackOptions> options,
    TimeProvider time,
    ILogger<SocketModeClient> log) : BackgroundService
{
    private enum Ending
    {
        Disconnect,
        Dropped,
    }

    // One send at a time per connection: acknowledgements come from the envelopes' own tasks.
    private readonly ConditionalWeakTable<ClientWebSocket, SemaphoreSlim> _sends = new();
    private int _failures;

    /// <summary>Wait before the next connection attempt after <paramref name="failures"/> drops or failed attempts in a row: none for the first, then 1, 2, 4 ... seconds up to the maximum.</summary>
    public static TimeSpan ReconnectDelay(int failures, TimeSpan max) =>
        failures <= 1 ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Min(max.TotalSeconds, Math.Pow(2, Math.Min(failures - 2, 20))));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var max = TimeSpan.FromSeconds(options.Value.MaxReconnectDelaySeconds);
        ClientWebSocket? next = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            var socket = next;
            next = null;
            try
            {
                if (socket is null)
                {
                    var delay = ReconnectDelay(_failures, max);
                    if (delay > TimeSpan.Zero)
                    {
                        log.LogInformation("Socket Mode: reconnecting in {Seconds} s", delay.TotalSeconds);
                        await Task.Delay(delay, time, stoppingToken);
                    }

                    socket = await ConnectAsync(stoppingToken);
                }

                var ending = await ReceiveAsync(socket, stoppingToken);
                if (ending == Ending.Disconnect)
                {
                    // Slack asked us to move: the new connection first, so nothing falls between the two.
                    next = await TryConnectAsync(stoppingToken);
                }
                else
                {
                    _failures++;
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Anything (an HttpClient timeout is an OperationCanceledException, a bad URL a UriFormatException) is
                // one failed attempt: escaping ExecuteAsync would stop the whole host, HTTP and escalation with it.
                _failures++;
                if (Expected(e))
                {
                    log.LogWarning("Socket Mode connection failed ({Failures} in a row): {Problem}", _failures, Describe(e));
                }
                else
                {
                    log.LogError(e, "Socket Mode connection failed ({Failures} in a row)", _failures);
                }
            }
            finally
            {
                if (socket is not null)
                {
                    await CloseAsync(socket);
                }
            }
        }

        if (next is not null)
        {
            await CloseAsync(next);
        }
    }

    private async Task<ClientWebSocket?> TryConnectAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await ConnectAsync(cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            _failures++;
            if (Expected(e))
            {
                log.LogWarning("Socket Mode could not reconnect: {Problem}", Describe(e));
            }
            else
            {
                log.LogError(e, "Socket Mode could not reconnect");
            }

            return null;
        }
    }

    /// <summary>Trouble to expect from Slack and the network (a refusal, a failure, no answer in time): one line in the log, no stack trace.</summary>
    private static bool Expected(Exception e) => e is SlackApiException or HttpRequestException or WebSocketException or OperationCanceledException;

    private static string Describe(Exception e) => e is OperationCanceledException ? "no answer in time" : e.Message;

    private async Task<ClientWebSocket> ConnectAsync(CancellationToken cancellationToken)
    {
        var url = (await api.OpenConnectionAsync(cancellationToken)).Url;
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(10);
        try
        {
            await socket.ConnectAsync(new Uri(url), cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        log.LogInformation("Socket Mode connected");
        return socket;
    }

    private async Task<Ending> ReceiveAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        while (socket.State == WebSocketState.Open)
        {
            WebSocketReceiveResult result;
            try
            {
                result = await socket.ReceiveAsync(buffer, cancellationToken);
            }
            catch (WebSocketException e)
            {
                log.LogWarning("Socket Mode connection dropped: {Problem}", e.Message);
                return Ending.Dropped;
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                log.LogInformation("Socket Mode connection closed by Slack ({Status})", result.CloseStatus);
                return Ending.Dropped;
            }

            message.Write(buffer, 0, result.Count);
            if (!result.EndOfMessage)
            {
                continue;
            }

            var bytes = message.ToArray();
            message.SetLength(0);
            if (HandleMessage(socket, bytes, cancellationToken) is { } ending)
            {
                return ending;
            }
        }

        return Ending.Dropped;
    }

    /// <summary>
    /// One message from Slack. Nothing in it may end the connection: whatever is malformed is logged, and an envelope
    /// with an envelope_id is always acknowledged (Slack would only send it again), handled only when it is well formed.
    /// </summary>
    private Ending? HandleMessage(ClientWebSocket socket, byte[] bytes, CancellationToken cancellationToken)
    {
        if (SlackText.ParseObject(bytes) is not { } json)
        {
            log.LogWarning("Socket Mode sent something that is not a JSON object ({Bytes} bytes): ignored", bytes.Length);
            return null;
        }

        var type = SlackShape.Str(json, "type", out var typeProblem);
        if (type == "hello")
        {
            _failures = 0;
            log.LogInformation("Socket Mode hello ({Connections} connections)", json["num_connections"] is JsonValue n && n.TryGetValue<int>(out var count) ? count : null);
            return null;
        }

        if (type == "disconnect")
        {
            log.LogInformation("Socket Mode disconnect: {Reason}", SlackShape.Str(json, "reason", out _));
            return Ending.Disconnect;
        }

        var envelopeId = SlackShape.Str(json, "envelope_id", out var idProblem);
        if (string.IsNullOrEmpty(envelopeId))
        {
            log.LogWarning("Socket Mode message of type {Type} without a usable envelope_id ({Problem}): nothing to acknowledge, ignored",
                type ?? "(none)", idProblem ?? typeProblem ?? "none given");
            return null;
        }

        var envelope = Envelope.Read(json, type, typeProblem, out var problem);
        if (problem is not null)
        {
            log.LogWarning("Socket Mode envelope {EnvelopeId} is malformed ({Problem}): acknowledged, not handled", envelopeId, problem);
        }

        // Each envelope on its own task, acknowledged from there: a handler may use the whole acknowledgement budget,
        // and the next envelope (another press) must not wait behind it. The de-duplication stays here, in arrival order.
        var first = deduper.FirstTime("envelope:" + envelopeId);
        _ = Task.Run(() => AnswerAsync(socket, envelopeId, first ? envelope : null, cancellationToken), CancellationToken.None);
        return null;
    }

    private async Task AnswerAsync(ClientWebSocket socket, string envelopeId, Envelope? envelope, CancellationToken cancellationToken)
    {
        SlackAck? ack = null;
        try
        {
            if (envelope?.Inbound is { } inbound)
            {
                ack = await dispatcher.DispatchAsync(inbound, cancellationToken);
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Acknowledged all the same: Slack sending it again would only fail again.
            log.LogError(e, "Socket Mode envelope {EnvelopeId} failed", envelopeId);
        }

        var answer = new JsonObject { ["envelope_id"] = envelopeId };
        if (ack is not null && envelope!.AcceptsResponsePayload)
        {
            answer["payload"] = ack.ToJsonObject();
        }

        var sends = SendsOn(socket);
        try
        {
            await sends.WaitAsync(cancellationToken);
            try
            {
                // WebSocket sends must not overlap.
                await socket.SendAsync(Encoding.UTF8.GetBytes(answer.ToJsonString()), WebSocketMessageType.Text, true, cancellationToken);
            }
            finally
            {
                sends.Release();
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // The connection went while the envelope was handled: Slack delivers it again on the next one, and the
            // de-duplication acknowledges it there without handling it twice.
            log.LogWarning("Socket Mode could not acknowledge envelope {EnvelopeId}: {Problem}", envelopeId, e.Message);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private SemaphoreSlim SendsOn(ClientWebSocket socket) => _sends.GetValue(socket, _ => new SemaphoreSlim(1, 1));

    private async Task CloseAsync(ClientWebSocket socket)
    {
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2), time);
                var sends = SendsOn(socket);
                await sends.WaitAsync(timeout.Token);
                try
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "reconnecting", timeout.Token);
                }
                finally
                {
                    sends.Release();
                }
            }
        }
        catch (Exception)
        {
            // The old socket is going away anyway; nothing about closing it may end the loop.
        }
        finally
        {
            socket.Dispose();
        }
    }
}
