using MetaService.Core;
using MetaService.Core.Catalog;
using MetaService.Core.Functions;
using MetaService.Core.Pools;
using MetaService.Core.Records;
using MetaService.Core.ReservedInstances;
using MetaService.Server.Startup;
using MetaService.Server.Wire;

using Microsoft.Extensions.Options;

namespace MetaService.Server.Functions;

internal static class CoreRegistration
{
    public static IServiceCollection AddMetaCore(this IServiceCollection services, IConfiguration configuration)
    {
        var meta = configuration.GetSection(MetaOptions.Section);
        services.AddSettings<MetaOptions>(meta)
            // The binder appends configured items to an array that has a default, so a configured runtime list would
            // only add to openYuanrong's; a list that is given replaces it.
            .PostConfigure(o => o.Runtimes = meta.GetSection(nameof(MetaOptions.Runtimes)) is { } runtimes && runtimes.Exists()
                ? [.. runtimes.GetChildren().Select(r => r.Value).OfType<string>()]
                : o.Runtimes);
        services.AddSettings<WireOptions>(configuration.GetSection(WireOptions.Section));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new FunctionCatalog(
            sp.GetRequiredService<Core.Storage.IMetaStore>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<MetaOptions>>().Value.RecordCacheBytes));
        services.AddHostedService<CatalogService>();
        services.AddSettings<FunctionAnswersOptions>(configuration.GetSection(FunctionAnswersOptions.Section));
        services.AddSingleton<FunctionAnswers>();
        services.AddSingleton<UnreadableRecords>();
        services.AddSingleton(sp => new FunctionService(
            sp.GetRequiredService<FunctionCatalog>(),
            sp.GetRequiredService<IOptions<MetaOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<UnreadableRecords>(),
            history: sp.GetService<Core.History.HistoryLog>()));
        services.AddSingleton(sp => new ReservedInstanceService(sp.GetRequiredService<Core.Storage.IMetaStore>(), sp.GetRequiredService<IOptions<MetaOptions>>().Value, sp.GetService<Core.History.HistoryLog>()));
        services.AddSingleton<PoolService>();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, WireJson.Default));
        return services;
    }
}