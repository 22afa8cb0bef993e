using MetaService.Core.Storage;
using MetaService.Server.Startup;
using MetaService.Sqlite;

using Microsoft.Extensions.Options;

namespace MetaService.Server.Storage;

/// <summary>The embedded store: its directory from <c>Store:DataDirectory</c> (<c>--data-dir</c>), its tuning from
/// <c>Store:Sqlite</c>, checked before the server starts.</summary>
internal static class SqliteRegistration
{
    /// <summary>Registers the embedded store's settings; returns how the store is made.</summary>
    public static Func<IServiceProvider, IMetaStore> AddSqliteStore(this IServiceCollection services, IConfigurationSection store)
    {
        services.AddSettings<SqliteStoreOptions>(store.GetSection("Sqlite"))
            .Configure(o => o.DataDirectory = Path.GetFullPath(store["DataDirectory"] ?? "./data"));
        return sp => SqliteMetaStore.Open(sp.GetRequiredService<IOptions<SqliteStoreOptions>>().Value);
    }
}