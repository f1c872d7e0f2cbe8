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
}
