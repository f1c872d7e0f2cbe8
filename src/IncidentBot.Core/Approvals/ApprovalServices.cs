using IncidentBot.Core.Commands;
using IncidentBot.Core.Runbooks;
using IncidentBot.Core.Service;
using IncidentBot.Core.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Core.Approvals;

public static class ApprovalServices
{
    /// <summary>The approval gate, the audit command, checks and step automation. Runners come from other projects (AddClerk).</summary>
    public static IServiceCollection AddApprovals(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<ApprovalOptions, ApprovalOptionsValidator>(configuration, ApprovalOptions.Section);
        services.AddSingleton<ApprovalLedger>();
        services.AddSingleton<RoomPrivacy>();
        services.AddSingleton<ApprovalService>();
        services.AddSingleton<CheckService>();
        services.AddSingleton<BackgroundWork>();
        services.AddSingleton<StepAutomationWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<StepAutomationWorker>());
        services.AddSingleton<IIncidentReactor, StepAutomation>();
        services.AddSingleton<IIncidentReactor, WithdrawOnFinish>();
        services.AddSingleton<IDeadlineHandler, ApprovalExpiry>();
        services.AddSingleton<IDeadlineHandler, SwitchReminder>();
        services.AddHostedService<InterruptedRuns>();
        services.AddHostedService<AutomationRecovery>();

        foreach (var entry in ActionHandler.Actions)
        {
            services.AddSingleton<ICommandHandler>(sp => new ActionHandler(entry, sp.GetRequiredService<ApprovalService>()));
        }

        services.AddSingleton<ICommandHandler, HookHandler>();
        services.AddSingleton<ICommandHandler, CheckHandler>();
        services.AddSingleton<ICommandHandler, ApproveHandler>();
        services.AddSingleton<ICommandHandler, DenyHandler>();
        services.AddSingleton<ICommandHandler, AuditHandler>();
        return services;
    }
}
