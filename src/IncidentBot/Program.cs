using IncidentBot;
using IncidentBot.Hosting;
using IncidentBot.Shell;
using IncidentBot.Slack;
using IncidentBot.Storage;
using Serilog;

Log.Logger = new LoggerConfiguration()
    .WriteTo.Console(standardErrorFromLevel: Serilog.Events.LogEventLevel.Verbose)
    .CreateBootstrapLogger();

try
{
    if (args.FirstOrDefault() == "healthcheck")
    {
        return await HealthCheckCommand.RunAsync(args[1..], CancellationToken.None);
    }

    if (args.FirstOrDefault() == "backup")
    {
        Log.Information("{Result}", await BackupCommand.RunAsync(args[1..], CancellationToken.None));
        return 0;
    }

    if (args.FirstOrDefault() == "shell")
    {
        // The embedded default chat: the same host, with the terminal as its only chat platform and no web server.
        var rest = args[1..];
        var shell = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = rest, ContentRootPath = Directory.GetCurrentDirectory() });
        shell.AddIncidentBot(rest, shell: true);
        shell.Services.AddShell(new ShellIO(Console.In, Console.Out, EchoInput: Console.IsInputRedirected));
        await shell.Build().CheckStartup().RunAsync();
        return 0;
    }

    var builder = WebApplication.CreateBuilder(args);
    builder.AddIncidentBot(args, shell: false);
    builder.Services.AddSlack(builder.Configuration);

    var app = builder.Build().CheckStartup();
    app.MapHealth();
    app.MapSlack();
    await app.RunAsync();
    return 0;
}
catch (StorageException e)
{
    // backup, or a storage file that failed after start-up: one line naming the file.
    Log.Fatal("IncidentBot: {Problem}", e.Message);
    return 1;
}
catch (Exception e) when ((e as StartupProblems ?? StartupProblems.FromConfigurationFile(e)) is { } problems)
{
    // Configuration, runbook or storage mistakes: one line each, naming the key, file or process; all of them.
    foreach (var line in problems.Lines)
    {
        Log.Fatal("IncidentBot cannot start: {Problem}", line);
    }

    return StartupProblems.ExitCode;
}
catch (Exception e)
{
    Log.Fatal(e, "IncidentBot stopped unexpectedly");
    return 1;
}
finally
{
    await Log.CloseAndFlushAsync();
}
