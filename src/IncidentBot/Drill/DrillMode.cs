using IncidentBot.Core.Commands;
using IncidentBot.Sandbox;
using Microsoft.Extensions.Options;

namespace IncidentBot.Drill;

/// <summary>
/// <c>--drill</c>: starts the embedded sandbox, points Clerk, the app and the hooks at it through a configuration
/// source added last (before any service reads it), refuses a live Clerk key, and keeps every HttpClient on loopback.
/// </summary>
public static class DrillMode
{
    public const string Flag = "--drill";

    /// <summary>Takes --drill out of the arguments, so the command-line configuration never sees it.</summary>
    public static string[] TakeFlag(string[] args, out bool drill)
    {
        drill = args.Contains(Flag, StringComparer.Ordinal);
        return args.Where(a => a != Flag).ToArray();
    }

    public static T AddDrill<T>(this T builder, bool drill) where T : IHostApplicationBuilder
    {
        // The command is always there: without --drill it says how to start drill mode.
        builder.Services.AddSingleton<ICommandHandler, DrillHandler>();
        if (!drill)
        {
            return builder;
        }

        if (builder.Configuration["Clerk:SecretKey"]?.StartsWith("sk_live_", StringComparison.Ordinal) == true)
        {
            throw new OptionsValidationException(DrillOptions.Section, typeof(DrillOptions),
                ["--drill refuses to start while Clerk:SecretKey (CLERK_SECRET_KEY) is a live key (sk_live_...): a drill never runs next to production Clerk. Unset it or use an sk_test_ key."]);
        }

        var options = builder.Configuration.GetSection(DrillOptions.Section).Get<DrillOptions>() ?? new DrillOptions();
        var sandbox = ClerkSandbox.StartAsync(new SandboxOptions { Users = options.Users, Seed = options.Seed }).GetAwaiter().GetResult();
        builder.Configuration.AddInMemoryCollection(DrillSettings.For(sandbox, builder.Configuration));

        builder.Services.AddOptions<DrillOptions>().Bind(builder.Configuration.GetSection(DrillOptions.Section))
            .Validate(o => o.Users is > 0 and <= 100_000 && o.OutageMinutes > 0 && o.SlowMilliseconds > 0 && o.SuspiciousUsers > 0,
                "Drill:Users (1 to 100000), Drill:OutageMinutes, Drill:SlowMilliseconds and Drill:SuspiciousUsers must be positive")
            .ValidateOnStart();
        builder.Services.AddSingleton(sandbox);
        builder.Services.AddSingleton<DrillInjector>();
        builder.Services.AddHostedService<DrillLifetime>();
        builder.Services.AddTransient<LoopbackOnlyHandler>();
        builder.Services.ConfigureHttpClientDefaults(http => http.AddHttpMessageHandler<LoopbackOnlyHandler>());
        return builder;
    }
}
