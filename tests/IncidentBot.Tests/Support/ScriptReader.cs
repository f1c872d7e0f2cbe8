using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Tests.Support;

/// <summary>Standard input for the shell that moves a fake clock on before handing out each line, so a scripted incident takes real-looking time.</summary>
public sealed class ScriptReader(FakeTimeProvider time, IEnumerable<(TimeSpan After, string Line)> script) : TextReader
{
    private readonly Queue<(TimeSpan After, string Line)> _lines = new(script);

    public override string? ReadLine()
    {
        if (!_lines.TryDequeue(out var next))
        {
            return null;
        }

        time.Advance(next.After);
        return next.Line;
    }

    public override ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken) => ValueTask.FromResult(ReadLine());

    public override Task<string?> ReadLineAsync() => Task.FromResult(ReadLine());
}
