using IncidentBot.Core.Commands;
using IncidentBot.Core.Runbooks;
using IncidentBot.Core.Service;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Core.Approvals;

public static class ApprovalServices
{
    /// <summary>The approval gate, the audit command, checks and step automation. Runners come from other projects (AddClerk).</summary>
    public static IServiceCollection AddApprovals(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ApprovalOptions>().Bind(configuration.GetSection(ApprovalOptions.Section))
            .Validate(o => o.ApproverRoles.All(r => r.Length > 0) && o.ActionRoles.Values.All(r => r.All(x => x.Length > 0)), "Approvals:ApproverRoles and ActionRoles can't name an empty role")
            .Validate(o => o.ExpiryMinutes > 0, "Approvals:ExpiryMinutes must be positive")
            .Validate(o => o.TwoApproversAbove >= 0, "Approvals:TwoApproversAbove can't be negative")
            .Validate(o => o.BypassReviewMinutes > 0 && o.BypassReminderMinutes > 0, "Approvals:BypassReviewMinutes and BypassReminderMinutes must be positive")
            .ValidateOnStart();
        services.AddSingleton<ApprovalLedger>();
        services.AddSingleton<ApprovalService>();
        services.AddSingleton<CheckService>();
        services.AddSingleton<BackgroundWork>();
        services.AddSingleton<StepAutomationWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<StepAutomationWorker>());
        services.AddSingleton<IIncidentReactor, StepAutomation>();
        services.AddSingleton<IIncidentReactor, WithdrawOnFinish>();
        services.AddSingleton<IDeadlineHandler, ApprovalExpiry>();
        services.AddSingleton<IDeadlineHandler, BypassReminder>();
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
