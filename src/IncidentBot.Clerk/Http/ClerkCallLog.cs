using System.Text.Json;
using IncidentBot.Clerk.Api;

namespace IncidentBot.Clerk.Http;

/// <summary>One attempt sent to Clerk: what the audit log keeps. Never headers, so never the secret key.</summary>
public sealed record ClerkCall(string Method, string Path, int? Status, string? TraceId, string? Failure, TimeSpan Took)
{
    public override string ToString() =>
        $"{Method} {Path} -> {(Status is { } s ? s.ToString(System.Globalization.CultureInfo.InvariantCulture) : Failure)} ({Took.TotalMilliseconds:0} ms{(TraceId is null ? "" : $", trace {TraceId}")})";
}

/// <summary>
/// Where the Clerk calls of one check or action are written as they complete: the observer travels on each request
/// (<see cref="HttpRequestMessage.Options"/>), put there by the client that <see cref="IClerkClient.Observed"/> returned.
/// </summary>
public static class ClerkCallLog
{
    public static readonly HttpRequestOptionsKey<Action<ClerkCall>> Observer = new("IncidentBot.ClerkCallObserver");

    internal static void Report(HttpRequestMessage request, ClerkCall call)
    {
        if (request.Options.TryGetValue(Observer, out var observer))
        {
            observer(call);
        }
    }
}

/// <summary>The innermost handler: reports every attempt (status, trace id, or the failure) to the request's observer (<see cref="ClerkCallLog"/>).</summary>
public sealed class ClerkCallRecorder(TimeProvider time) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var path = request.RequestUri?.PathAndQuery ?? "";
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            var trace = ClerkClient.TraceHeader(response);
            if (!response.IsSuccessStatusCode)
            {
                await response.Content.LoadIntoBufferAsync(cancellationToken);
                trace = BodyTrace(await response.Content.ReadAsStringAsync(cancellationToken)) ?? trace;
            }

            ClerkCallLog.Report(request, new ClerkCall(request.Method.Method, path, (int)response.StatusCode, trace, null, time.GetElapsedTime(started)));
            return response;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            var failure = e is OperationCanceledException ? "timed out" : $"connection failed: {e.Message}";
            ClerkCallLog.Report(request, new ClerkCall(request.Method.Method, path, null, null, failure, time.GetElapsedTime(started)));
            throw;
        }
    }

    private static string? BodyTrace(string body)
    {
        try
        {
            return JsonSerializer.Deserialize<ClerkErrorBody>(body, ClerkJson.Options)?.ClerkTraceId;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
