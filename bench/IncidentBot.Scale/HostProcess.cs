using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace IncidentBot.Scale;

/// <summary>
/// The real IncidentBot host (Release build, <c>dotnet IncidentBot.dll</c>: the process is the app itself) with Slack
/// pointed at the bench's Slack stub (bench/ack/floor in slack-stub mode, its own process), both on 127.0.0.1.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    public const string Secret = "bench-scale-signing-secret";
    private readonly Process _bot;
    private readonly Process _stub;

    private HostProcess(Process bot, Process stub, int port, int stubPort, Stopwatch started)
    {
        StubUrl = $"http://127.0.0.1:{stubPort}";
        _bot = bot;
        _stub = stub;
        Url = $"http://127.0.0.1:{port}";
        Started = started;
    }

    public string Url { get; }

    /// <summary>The Slack stub: GET /channels (name -> id of each channel the bot created), GET /calls (calls by method).</summary>
    public string StubUrl { get; }

    public Stopwatch Started { get; }

    public int Pid => _bot.Id;

    public static string BotDll => Path.Combine(Repo.Root, "src", "IncidentBot", "bin", "Release", "net10.0", "IncidentBot.dll");

    public static string StubDll => Path.Combine(Repo.Root, "bench", "ack", "floor", "bin", "Release", "net10.0", "AckFloor.dll");

    /// <summary>Starts the stub, then the bot on <paramref name="storagePath"/>; the stopwatch starts when the bot's process is started.</summary>
    public static async Task<HostProcess> StartAsync(string storagePath, string logPath)
    {
        foreach (var dll in new[] { BotDll, StubDll })
        {
            if (!File.Exists(dll))
            {
                throw new InvalidOperationException($"{dll} is missing: build it first (bench/run.sh does: dotnet build -c Release)");
            }
        }

        var stubPort = FreePort();
        var stub = Start(StubDll, stubPort, new() { ["ACK_FLOOR_MODE"] = "slack-stub", ["SLACK_SIGNING_SECRET"] = Secret }, null);
        await WaitPortAsync(stubPort);
        var port = FreePort();
        var dir = Path.GetDirectoryName(storagePath)!;
        var clock = Stopwatch.StartNew();
        var bot = Start(BotDll, port, new()
        {
            ["Roster__People__0__SlackId"] = "UBENCH0",
            ["Roster__People__1__SlackId"] = "UBENCH1",
            ["Roster__People__2__SlackId"] = "UBENCH2",
            ["Slack__BotToken"] = "xoxb-bench-not-a-token",
            ["Slack__SigningSecret"] = Secret,
            ["Slack__ApiUrl"] = $"http://127.0.0.1:{stubPort}/api/",
            ["Storage__Path"] = storagePath,
            ["Reports__Path"] = Path.Combine(dir, "reports"),
            ["Serilog__MinimumLevel__Default"] = "Warning",
            ["Serilog__WriteTo__0__Args__path"] = Path.Combine(dir, "logs", "incidentbot-.log"),
        }, logPath);
        return new HostProcess(bot, stub, port, stubPort, clock);
    }

    /// <summary>Polls /readyz every 10 ms until it answers 200; the time from process start.</summary>
    public async Task<TimeSpan> WaitReadyAsync(TimeSpan limit)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        while (Started.Elapsed < limit)
        {
            if (_bot.HasExited)
            {
                throw new InvalidOperationException($"the bot exited with {_bot.ExitCode} before it was ready");
            }

            try
            {
                using var answer = await http.GetAsync($"{Url}/readyz");
                if (answer.IsSuccessStatusCode)
                {
                    return Started.Elapsed;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(10);
        }

        throw new TimeoutException($"/readyz did not answer 200 within {limit}");
    }

    /// <summary>Resident memory of the bot's process (VmRSS), in MB.</summary>
    public double RssMb() => Rss(_bot.Id);

    public static double Rss(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
            }
        }

        return double.NaN;
    }

    /// <summary>SIGTERM (a graceful stop: the storage file is closed cleanly), then waits for the exit.</summary>
    public async Task StopAsync()
    {
        foreach (var p in new[] { _bot, _stub })
        {
            if (!p.HasExited)
            {
                using var kill = Process.Start("kill", ["-TERM", p.Id.ToString(CultureInfo.InvariantCulture)]);
                await kill.WaitForExitAsync();
            }
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        foreach (var p in new[] { _bot, _stub })
        {
            try
            {
                await p.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                p.Kill();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _bot.Dispose();
        _stub.Dispose();
    }

    private static Process Start(string dll, int port, Dictionary<string, string> env, string? logPath)
    {
        var info = new ProcessStartInfo("dotnet", [dll, "--urls", $"http://127.0.0.1:{port}"])
        {
            WorkingDirectory = Repo.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in env)
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info)!;
        var log = logPath is null ? null : new StreamWriter(logPath, append: true) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (process) { log?.WriteLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (process) { log?.WriteLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitPortAsync(int port)
    {
        for (var i = 0; i < 300; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(System.Net.IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new TimeoutException($"nothing listens on {port}");
    }
}
