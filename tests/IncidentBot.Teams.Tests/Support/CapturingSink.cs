using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace IncidentBot.Teams.Tests.Support;

/// <summary>Every log line the host writes, rendered, for tests that check what is (not) logged.</summary>
public sealed class CapturingSink : ILogEventSink
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => _lines.ToList();

    public void Emit(LogEvent logEvent) => _lines.Enqueue(logEvent.RenderMessage() + (logEvent.Exception is null ? "" : " " + logEvent.Exception));
}
