using System.Text;
using System.Threading.Channels;

namespace IncidentBot.Tests.Escalation.Support;

/// <summary>Standard input a test types into line by line; <see cref="EndOfInput"/> ends it.</summary>
public sealed class ShellKeyboard : TextReader
{
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();

    public void Type(string line) => _lines.Writer.TryWrite(line);

    public void EndOfInput() => _lines.Writer.TryComplete();

    public override async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken) =>
        await _lines.Reader.WaitToReadAsync(cancellationToken) && _lines.Reader.TryRead(out var line) ? line : null;

    public override string? ReadLine() => ReadLineAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
}

/// <summary>Standard output a test can await text on; the timeout only guards against a hang.</summary>
public sealed class ShellScreen : TextWriter
{
    private readonly Lock _gate = new();
    private readonly StringBuilder _text = new();
    private readonly List<(string Text, int From, TaskCompletionSource Done)> _waiters = [];

    public override Encoding Encoding => Encoding.UTF8;

    public string Text
    {
        get
        {
            lock (_gate)
            {
                return _text.ToString();
            }
        }
    }

    public override void Write(char value)
    {
        lock (_gate)
        {
            _text.Append(value);
            if (value == '\n')
            {
                var text = _text.ToString();
                foreach (var waiter in _waiters.Where(w => text.IndexOf(w.Text, w.From, StringComparison.Ordinal) >= 0).ToList())
                {
                    _waiters.Remove(waiter);
                    waiter.Done.TrySetResult();
                }
            }
        }
    }

    /// <summary>The current end of the output, to await text printed after it.</summary>
    public int Mark()
    {
        lock (_gate)
        {
            return _text.Length;
        }
    }

    public async Task WaitForAsync(string text, int from = 0)
    {
        TaskCompletionSource done;
        lock (_gate)
        {
            if (_text.ToString().IndexOf(text, from, StringComparison.Ordinal) >= 0)
            {
                return;
            }

            done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((text, from, done));
        }

        try
        {
            await done.Task.WaitAsync(TimeSpan.FromSeconds(20));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"'{text}' never appeared. The screen shows:\n{Text}");
        }
    }
}
