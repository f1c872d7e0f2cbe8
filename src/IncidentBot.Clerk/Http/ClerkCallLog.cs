using System.Text.Json;
using IncidentBot.Clerk.Api;

namespace IncidentBot.Clerk.Http;

/// <summary>One attempt sent to Clerk: what the audit log keeps. Never headers, so never the secret key.</summary>
public sealed record ClerkCall(string Method, string Path, int? Status, string? TraceId, string? Failure, TimeSpan Took)
{
    public override string ToString() =>
        $"{Method} {Path} -> {(Status is { } s ? s.ToString(System.Globalization.CultureInfo.InvariantCulture) : Failure)} ({Took.TotalMilliseconds:0} ms{(TraceId is null ? "" : $", trace {TraceId}")})";
}

/// <summary>Who is listening for Clerk calls on this async flow: the audit scope of the check or action running.</summary>
public static class ClerkCallLog
{
    private static readonly AsyncLocal<Action<ClerkCall>?> Current = new();

    public static IDisposable Observe(Action<ClerkCall> observer)
    {
        var previous = Current.Value;
        Current.Value = observer;
        return new Restore(previous);
    }

    internal static void Report(ClerkCall call) => Current.Value?.Invoke(call);

    private sealed class Restore(Action<ClerkCall>? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}

/// <summary>The innermost handler: reports every attempt (status, trace id, or the failure) to <see cref="ClerkCallLog"/>.</summary>
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

            ClerkCallLog.Report(new ClerkCall(request.Method.Method, path, (int)response.StatusCode, trace, null, time.GetElapsedTime(started)));
            return response;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            var failure = e is OperationCanceledException ? "timed out" : $"connection failed: {e.Message}";
            ClerkCallLog.Report(new ClerkCall(request.Method.Method, path, null, null, failure, time.GetElapsedTime(started)));
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
