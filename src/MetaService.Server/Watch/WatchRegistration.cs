using MetaService.Server.Startup;

namespace MetaService.Server.Watch;

internal static class WatchRegistration
{
    public static IServiceCollection AddWatch(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<WatchOptions>(configuration.GetSection(WatchOptions.Section));
        services.AddSingleton<WatchHubs>();
        services.AddHostedService<WatchStarter>();
        return services;
    }
}