using MetaService.Core;
using MetaService.Core.Functions;
using MetaService.Core.Pools;
using MetaService.Core.ReservedInstances;
using MetaService.Server.Wire;

using Microsoft.Extensions.Options;

namespace MetaService.Server.Functions;

internal static class CoreRegistration
{
    public static IServiceCollection AddMetaCore(this IServiceCollection services, IConfiguration configuration)
    {
        var meta = configuration.GetSection(MetaOptions.Section);
        services.AddOptions<MetaOptions>()
            .Bind(meta)
            // The binder appends configured items to an array that has a default, so a configured runtime list would
            // only add to openYuanrong's; a list that is given replaces it.
            .PostConfigure(o => o.Runtimes = meta.GetSection(nameof(MetaOptions.Runtimes)) is { } runtimes && runtimes.Exists()
                ? [.. runtimes.GetChildren().Select(r => r.Value).OfType<string>()]
                : o.Runtimes)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<MetaOptions>, MetaOptionsValidator>();
        services.AddOptions<WireOptions>().Bind(configuration.GetSection(WireOptions.Section))
            .Validate(o => o.MaxRequestBodyBytes > 0, "Server:MaxRequestBodyBytes must be a positive number of bytes")
            .ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new FunctionCatalog(
            sp.GetRequiredService<Core.Storage.IMetaStore>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<MetaOptions>>().Value.RecentRecords));
        services.AddHostedService<CatalogService>();
        services.AddOptions<FunctionAnswersOptions>().Bind(configuration.GetSection(FunctionAnswersOptions.Section))
            .Validate(o => o.AnswerCacheBytes >= 0, "Server:AnswerCacheBytes must be 0 (no answers kept) or a number of bytes")
            .ValidateOnStart();
        services.AddSingleton<FunctionAnswers>();
        services.AddSingleton<UnreadableRecords>();
        services.AddSingleton(sp => new FunctionService(
            sp.GetRequiredService<FunctionCatalog>(),
            sp.GetRequiredService<IOptions<MetaOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<UnreadableRecords>()));
        services.AddSingleton(sp => new ReservedInstanceService(sp.GetRequiredService<Core.Storage.IMetaStore>(), sp.GetRequiredService<IOptions<MetaOptions>>().Value));
        services.AddSingleton<PoolService>();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, WireJson.Default));
        return services;
    }

    /// <summary>Reports every problem of the Meta settings at start, each saying how to fix it.</summary>
    private sealed class MetaOptionsValidator : IValidateOptions<MetaOptions>
    {
        public ValidateOptionsResult Validate(string? name, MetaOptions options)
        {
            var problems = options.Problems().ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}