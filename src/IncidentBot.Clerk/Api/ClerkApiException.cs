using System.Net;

namespace IncidentBot.Clerk.Api;

/// <summary>Clerk answered with an error status. Keeps the error codes and the trace id (clerk_trace_id, Clerk-Trace-Id or cf-ray).</summary>
public sealed class ClerkApiException(HttpStatusCode status, IReadOnlyList<ClerkError> errors, string? traceId, TimeSpan? retryAfter, string path)
    : Exception($"Clerk answered {(int)status} to {path}: {string.Join("; ", errors.Select(e => $"{e.Code}: {e.LongMessage ?? e.Message}"))}")
{
    public HttpStatusCode Status { get; } = status;

    public IReadOnlyList<ClerkError> Errors { get; } = errors;

    public string? TraceId { get; } = traceId;

    public TimeSpan? RetryAfter { get; } = retryAfter;

    public string Code => Errors.FirstOrDefault()?.Code ?? "";

    public string Detail => Errors.FirstOrDefault() is { } e ? e.LongMessage ?? e.Message : "no error body";
}

/// <summary>Clerk could not be reached or did not answer in time, after retrying within the budget.</summary>
public sealed class ClerkUnavailableException(string message, int attempts, Exception? inner = null) : Exception(message, inner)
{
    public int Attempts { get; } = attempts;
}

/// <summary>Turns Clerk failures into one sentence a responder can act on.</summary>
public static class ClerkErrors
{
    public static string Explain(Exception e) => e switch
    {
        ClerkApiException { Status: HttpStatusCode.Unauthorized } c =>
            $"Clerk refused the secret key (401 {c.Code}): check Clerk:SecretKey.{Trace(c)}",
        ClerkApiException { Status: HttpStatusCode.PaymentRequired } c =>
            $"this Clerk plan does not include it (402 {c.Code}: {c.Detail}).{Trace(c)}",
        ClerkApiException { Status: HttpStatusCode.Forbidden } c =>
            $"Clerk does not allow it on this instance (403 {c.Code}: {c.Detail}); is the feature enabled?{Trace(c)}",
        ClerkApiException { Status: HttpStatusCode.NotFound } c =>
            $"Clerk has no such object (404 {c.Code}: {c.Detail}).{Trace(c)}",
        ClerkApiException { Status: HttpStatusCode.UnprocessableEntity } c =>
            $"Clerk rejected the request as invalid (422 {c.Code}: {c.Detail}).{Trace(c)}",
        ClerkApiException { Status: HttpStatusCode.TooManyRequests } c =>
            $"Clerk is still rate limiting us (429) after waiting{(c.RetryAfter is { } r ? $"; it asks to retry after {r.TotalSeconds:0} s" : "")}: try again later.{Trace(c)}",
        ClerkApiException { Status: >= HttpStatusCode.InternalServerError } c =>
            $"Clerk failed ({(int)c.Status} {c.Code}) and kept failing while we retried.{Trace(c)}",
        ClerkApiException c => $"Clerk answered {(int)c.Status} {c.Code}: {c.Detail}.{Trace(c)}",
        ClerkUnavailableException u => u.Message,
        _ => $"unexpected failure: {e.Message}",
    };

    private static string Trace(ClerkApiException c) => c.TraceId is null ? "" : $" (trace {c.TraceId})";
}
