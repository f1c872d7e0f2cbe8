using IncidentBot;
using IncidentBot.Core.Runbooks;
using IncidentBot.Drill;
using IncidentBot.Hosting;
using IncidentBot.Shell;
using IncidentBot.Slack;
using Microsoft.Extensions.Options;
using Serilog;

Log.Logger = new LoggerConfiguration()
    .WriteTo.Console(standardErrorFromLevel: Serilog.Events.LogEventLevel.Verbose)
    .CreateBootstrapLogger();

try
{
    args = DrillMode.TakeFlag(args, out var drill);
    if (args.FirstOrDefault() == "shell")
    {
        // The embedded default chat: the same host, with the terminal as its only chat platform and no web server.
        var rest = args[1..];
        var shell = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = rest, ContentRootPath = Directory.GetCurrentDirectory() });
        shell.AddIncidentBot(rest, shell: true).AddDrill(drill);
        shell.Services.AddShell(new ShellIO(Console.In, Console.Out, EchoInput: Console.IsInputRedirected));
        await shell.Build().CheckStartup().RunAsync();
        return 0;
    }

    var builder = WebApplication.CreateBuilder(args);
    builder.AddIncidentBot(args, shell: false).AddDrill(drill);
    builder.Services.AddSlack(builder.Configuration);

    var app = builder.Build().CheckStartup();
    app.MapHealth();
    app.MapSlack();
    await app.RunAsync();
    return 0;
}
catch (Exception e) when (e is RunbookException or OptionsValidationException)
{
    // A configuration or runbook mistake: one line that names the file, step or key.
    Log.Fatal("IncidentBot cannot start: {Problem}", e.Message);
    return 1;
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
