using MetaService.Server.Startup;

namespace MetaService.Server.Limits;

/// <summary>The <c>Limits:</c> settings and the checks made before a request reaches a route: its host, then its
/// caller's rate. (The limits on what a request may store are the function rules', <c>Meta:</c>.)</summary>
internal static class LimitsRegistration
{
    public static IServiceCollection AddLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<LimitsOptions>(configuration.GetSection(LimitsOptions.Section));
        services.AddSingleton<HostCheck>();
        return services.AddRequestHead().AddRequestRate();
    }

    /// <summary>After authentication, once it exists, so that the rate is counted per credential (<see cref="Caller"/>).</summary>
    public static WebApplication UseLimits(this WebApplication app)
    {
        var hosts = app.Services.GetRequiredService<HostCheck>();
        if (!hosts.AnyHost)
        {
            app.Use(hosts.InvokeAsync);
        }

        // Without a rate (Limits:RequestsPerSecond 0) no request pays for the limiter's middleware.
        if (app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<LimitsOptions>>().Value.RequestsPerSecond > 0)
        {
            app.UseRateLimiter();
        }

        return app;
    }
}