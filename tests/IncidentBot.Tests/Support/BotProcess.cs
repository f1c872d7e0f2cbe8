using System.Diagnostics;
using System.Text;

namespace IncidentBot.Tests.Support;

/// <summary>
/// The bot as a real process, started the way the README says (<c>dotnet run --project src/IncidentBot</c>), with
/// --no-build and the configuration the tests were built in, so it runs what the test run just built.
/// </summary>
public sealed class BotProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly List<(string Text, TaskCompletionSource Seen)> _waits = [];
    private readonly Lock _gate = new();

    private BotProcess(Process process) => _process = process;

    public static string Configuration =>
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name; // bin/<Configuration>/net10.0/

    public static BotProcess Start(TestFolder folder, params string[] args) => Start(folder, new Dictionary<string, string>(), args);

    /// <summary>As above, with more environment variables (e.g. <c>Slack__BotToken</c>) on top of the folder's.</summary>
    public static BotProcess Start(TestFolder folder, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Repo.Root,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "run", "--no-build", "-c", Configuration, "--project", "src/IncidentBot", "--" }.Concat(args))
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in folder.Environment.Concat(environment))
        {
            info.Environment[key] = value;
        }

        info.Environment["DOTNET_NOLOGO"] = "1";
        var bot = new BotProcess(new Process { StartInfo = info });
        bot._process.OutputDataReceived += (_, e) => bot.Received(e.Data);
        bot._process.ErrorDataReceived += (_, e) => bot.Received(e.Data);
        bot._process.Start();
        bot._process.BeginOutputReadLine();
        bot._process.BeginErrorReadLine();
        return bot;
    }

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

    /// <summary>Closes standard input (end of the script) and waits for the exit code.</summary>
    public async Task<int> EndInputAndWaitAsync()
    {
        _process.StandardInput.Close();
        return await WaitForExitAsync();
    }

    public async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        _process.WaitForExit(); // flushes the redirected output
        return _process.ExitCode;
    }

    public void Kill() => _process.Kill(entireProcessTree: true);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Kill();
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
