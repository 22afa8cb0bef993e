using MetaService.Core.Storage;
using MetaService.Sqlite;

namespace MetaService.Server.Storage;

/// <summary>The embedded store: its directory from <c>Store:DataDirectory</c> (<c>--data-dir</c>), its tuning from
/// <c>Store:Sqlite</c>, checked before the server starts.</summary>
internal static class SqliteRegistration
{
    public static IServiceCollection AddSqliteStore(this IServiceCollection services, IConfigurationSection store)
    {
        var tuning = store.GetSection("Sqlite");
        var defaults = new SqliteStoreOptions { DataDirectory = Path.GetFullPath(store["DataDirectory"] ?? "./data") };
        var options = defaults with
        {
            HistoryRetention = tuning.GetValue(nameof(SqliteStoreOptions.HistoryRetention), defaults.HistoryRetention),
            MaxBatch = tuning.GetValue(nameof(SqliteStoreOptions.MaxBatch), defaults.MaxBatch),
            FeedCapacityBytes = tuning.GetValue(nameof(SqliteStoreOptions.FeedCapacityBytes), defaults.FeedCapacityBytes),
        };
        var problems = options.Problems().ToList();
        if (problems.Count > 0)
        {
            throw new Startup.SettingsException(string.Join("; ", problems));
        }

        return services.AddSingleton<IMetaStore>(_ => SqliteMetaStore.Open(options));
    }
}