using System.Diagnostics;
using System.Text;

namespace IncidentBot.Tests.Support;

/// <summary>
/// The bot as a real process: <c>dotnet IncidentBot.dll</c> from the build output beside the tests, so the process
/// this holds is the app itself (no <c>dotnet run</c> wrapper) and <see cref="KillHardAsync"/> kills the app, as
/// kill -9 would. Its working directory (the content root: appsettings.json, manifests/runbooks) is the repository
/// unless given. Linked into every test project that starts the bot.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();
    private readonly List<(string Text, TaskCompletionSource Seen)> _waits = [];

    private AppProcess(Process process) => _process = process;

    /// <summary>Starts the bot with <paramref name="settings"/> as environment variables (<c>Slack:BotToken</c> or <c>Slack__BotToken</c>).</summary>
    public static AppProcess Start(IEnumerable<KeyValuePair<string, string>> settings, params string[] args) =>
        StartIn(Repo.Root, settings, args);

    /// <summary>As above, run from <paramref name="workingDirectory"/> (its content root: the appsettings.json it reads).</summary>
    public static AppProcess StartIn(string workingDirectory, IEnumerable<KeyValuePair<string, string>> settings, params string[] args) =>
        Launch(workingDirectory, [Path.Combine(AppContext.BaseDirectory, "IncidentBot.dll"), .. args], settings);

    /// <summary>Runs <c>dotnet</c> with <paramref name="arguments"/>, output captured, settings as environment variables.</summary>
    public static AppProcess Launch(string workingDirectory, IEnumerable<string> arguments, IEnumerable<KeyValuePair<string, string>> settings)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in settings)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        info.Environment["DOTNET_NOLOGO"] = "1";
        var app = new AppProcess(new Process { StartInfo = info });
        app._process.OutputDataReceived += (_, e) => app.Received(e.Data);
        app._process.ErrorDataReceived += (_, e) => app.Received(e.Data);
        app._process.Start();
        app._process.BeginOutputReadLine();
        app._process.BeginErrorReadLine();
        return app;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    public async Task SendAsync(params string[] lines)
    {
        foreach (var line in lines)
        {
            await _process.StandardInput.WriteLineAsync(line);
        }

        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Waits until the output contains <paramref name="text"/>; the timeout only guards against a hang.</summary>
    public async Task WaitForAsync(string text)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_output.ToString().Contains(text, StringComparison.Ordinal))
            {
                return;
            }

            _waits.Add((text, seen));
        }

        try
        {
            await Task.WhenAny(seen.Task, _process.WaitForExitAsync()).WaitAsync(TimeSpan.FromMinutes(3));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"'{text}' never appeared. Output:\n{Output}");
        }

        if (!seen.Task.IsCompleted)
        {
            throw new InvalidOperationException($"The bot exited before '{text}' appeared. Output:\n{Output}");
        }
    }

    public async Task<int> EndInputAndWaitAsync()
    {
        _process.StandardInput.Close();
        return await WaitForExitAsync();
    }

    public async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        _process.WaitForExit(); // flushes the redirected output
        return _process.ExitCode;
    }

    /// <summary>SIGKILL to the app process itself: no shutdown, no flush, no checkpoint beyond what was already saved.</summary>
    public async Task KillHardAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Received(string? line)
    {
        if (line is not null)
        {
            lock (_gate)
            {
                _output.AppendLine(line);
                var text = _output.ToString();
                foreach (var wait in _waits.Where(w => text.Contains(w.Text, StringComparison.Ordinal)).ToList())
                {
                    wait.Seen.TrySetResult();
                    _waits.Remove(wait);
                }
            }
        }
    }
}
