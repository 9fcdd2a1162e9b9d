namespace Workflows.Host.Notifications;

public static class NotificationsServiceCollectionExtensions
{
    /// <summary>Templates, one-time links, the notification service and the outbox sender (pump + Hangfire job).</summary>
    public static IServiceCollection AddWorkflowsNotifications(this IServiceCollection services)
    {
        services.AddSingleton<NotificationTemplates>();
        services.AddSingleton<ActionLinkService>();
        services.AddSingleton<NotificationService>();
        services.AddTransient<OutboxJob>();
        services.AddSingleton<OutboxPump>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxPump>());
        return services;
    }
}
