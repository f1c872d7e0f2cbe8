using System.Diagnostics;
using System.Text;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Faults;

/// <summary>
/// The built bot run as its own process (<c>dotnet IncidentBot.dll</c>, no <c>dotnet run</c> wrapper in between), so
/// <see cref="KillHard"/> kills the app process itself, as kill -9 would.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly List<(string Text, TaskCompletionSource Seen)> _waits = [];
    private readonly Lock _gate = new();

    private AppProcess(Process process) => _process = process;

    public static string AppDll => Path.Combine(Repo.Root, "src", "IncidentBot", "bin", BotProcess.Configuration, "net10.0", "IncidentBot.dll");

    public static AppProcess Start(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        StartIn(Repo.Root, environment, args);

    /// <summary>As above, run from <paramref name="workingDirectory"/> (its content root: the appsettings.json it reads).</summary>
    public static AppProcess StartIn(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(AppDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
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
    public Task WaitForAsync(string text)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_output.ToString().Contains(text, StringComparison.Ordinal))
            {
                return Task.CompletedTask;
            }

            _waits.Add((text, seen));
        }

        return seen.Task.WaitAsync(TimeSpan.FromSeconds(90));
    }

    public async Task<int> EndInputAndWaitAsync()
    {
        _process.StandardInput.Close();
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>SIGKILL to the app process itself: no shutdown, no flush, nothing it can catch.</summary>
    public async Task KillHardAsync()
    {
        _process.Kill(entireProcessTree: false);
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
        if (line is null)
        {
            return;
        }

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
