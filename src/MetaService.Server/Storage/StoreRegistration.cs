using MetaService.Core.Storage;

namespace MetaService.Server.Storage;

/// <summary>Chooses the metadata store from <c>Store:Kind</c>, and wraps it with its metrics
/// (<see cref="MeteredStore"/>). A new backend adds one line here.</summary>
internal static class StoreRegistration
{
    public static IServiceCollection AddMetaStore(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection("Store");
        var kind = section["Kind"] ?? "sqlite";
        var open = kind.ToLowerInvariant() switch
        {
            "sqlite" or "embedded" => services.AddSqliteStore(section),
            "etcd" => services.AddEtcdStore(section),
            _ => throw new Startup.SettingsException($"Store:Kind '{kind}' is unknown: use 'sqlite' (the embedded store, the default) or 'etcd'."),
        };
        return services.AddSingleton<IMetaStore>(sp => new MeteredStore(
            open(sp),
            sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
            sp.GetRequiredService<TimeProvider>()));
    }
}