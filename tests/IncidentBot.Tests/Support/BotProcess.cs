namespace IncidentBot.Tests.Support;

/// <summary>
/// The bot started the way the README says (<c>dotnet run --project src/IncidentBot</c>), with --no-build and the
/// configuration the tests were built in, so it runs what the test run just built. <see cref="AppProcess.KillHardAsync"/>
/// kills the whole tree (the <c>dotnet run</c> wrapper and the app); tests that must kill the app itself start it with
/// <see cref="AppProcess.Start"/>.
/// </summary>
public static class BotProcess
{
    public static string Configuration =>
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name; // bin/<Configuration>/net10.0/

    public static AppProcess Start(TestFolder folder, params string[] args) => Start(folder, new Dictionary<string, string>(), args);

    /// <summary>As above, with more environment variables (e.g. <c>Slack__BotToken</c>) on top of the folder's.</summary>
    public static AppProcess Start(TestFolder folder, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        AppProcess.Launch(Repo.Root, ["run", "--no-build", "-c", Configuration, "--project", "src/IncidentBot", "--", .. args], folder.Environment.Concat(environment));

    /// <summary>How every line of a refused start-up begins.</summary>
    public const string RefusedPrefix = "IncidentBot cannot start: ";

    /// <summary>
    /// Starts the web host with <paramref name="environment"/> and waits for it to refuse: its exit code and output
    /// lines, after checking there is no stack trace and nothing but the problems.
    /// </summary>
    public static async Task<(int Exit, string[] Lines)> RefusedStartAsync(TestFolder folder, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        await using var bot = Start(folder, environment, ["--urls", "http://127.0.0.1:0", .. args]);
        var exit = await bot.WaitForExitAsync();
        var output = bot.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.DoesNotContain(output, l => l.StartsWith("at ", StringComparison.Ordinal)); // no stack trace
        Assert.All(output, l => Assert.Contains(RefusedPrefix, l)); // nothing but the problems
        return (exit, output);
    }
}
