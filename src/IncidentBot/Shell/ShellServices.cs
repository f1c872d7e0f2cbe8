using IncidentBot.Core;

namespace IncidentBot.Shell;

public static class ShellServices
{
    public static IServiceCollection AddShell(this IServiceCollection services, ShellIO io)
    {
        services.AddSingleton(io);
        services.AddSingleton<ShellTerminal>();
        services.AddSingleton<IChatSurface, ShellSurface>();
        services.AddSingleton<IncidentBot.Core.Approvals.IRoomPrivacy, ShellRoomPrivacy>();
        services.AddHostedService<ShellRunner>();
        return services;
    }
}
