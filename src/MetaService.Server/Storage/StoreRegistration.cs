using MetaService.Core.Storage;
using MetaService.Sqlite;

namespace MetaService.Server.Storage;

/// <summary>Chooses the metadata store from <c>Store:Kind</c>. A new backend adds one line here.</summary>
internal static class StoreRegistration
{
    public static IServiceCollection AddMetaStore(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection("Store");
        var kind = section["Kind"] ?? "sqlite";
        return kind.ToLowerInvariant() switch
        {
            "sqlite" or "embedded" => services.AddSingleton<IMetaStore>(_ => SqliteMetaStore.Open(new SqliteStoreOptions
            {
                DataDirectory = Path.GetFullPath(section["DataDirectory"] ?? "./data"),
            })),
            "etcd" => services.AddEtcdStore(section),
            _ => throw new InvalidOperationException($"Store:Kind '{kind}' is unknown: use 'sqlite' (the embedded store, the default) or 'etcd'."),
        };
    }
}