using MetaService.Core.Storage;
using MetaService.Etcd;

using Microsoft.Extensions.Options;

namespace MetaService.Server.Storage;

/// <summary>The etcd store behind the watch-fed view: settings from <c>Store:Etcd</c> and <c>Store:View</c>,
/// checked at start, and the view read in full before the server answers.</summary>
internal static class EtcdRegistration
{
    public static IServiceCollection AddEtcdStore(this IServiceCollection services, IConfigurationSection store)
    {
        services.AddOptions<EtcdStoreOptions>().Bind(store.GetSection("Etcd")).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EtcdStoreOptions>, EtcdOptionsValidator>();
        services.AddOptions<WatchedViewOptions>().Bind(store.GetSection("View"));
        services.AddSingleton(sp => new WatchedView(
            new EtcdMetaStore(sp.GetRequiredService<IOptions<EtcdStoreOptions>>().Value, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<EtcdMetaStore>>()),
            sp.GetRequiredService<IOptions<WatchedViewOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<WatchedView>>()));
        services.AddSingleton<IMetaStore>(sp => sp.GetRequiredService<WatchedView>());
        services.AddHostedService<ViewStartup>();
        return services;
    }

    private sealed class EtcdOptionsValidator : IValidateOptions<EtcdStoreOptions>
    {
        public ValidateOptionsResult Validate(string? name, EtcdStoreOptions options)
        {
            var problems = options.Problems().ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }

    /// <summary>Reads the view before the server starts, so that an unreachable etcd stops the start with a
    /// message that says where and what to do.</summary>
    private sealed class ViewStartup(WatchedView view, IOptions<EtcdStoreOptions> options) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            try
            {
                await view.StartAsync(cancellationToken);
            }
            catch (StoreUnavailableException e)
            {
                throw new InvalidOperationException(
                    $"cannot start: etcd at {options.Value.EndpointList} (Store:Etcd:Endpoints) is unreachable: {e.Message}. "
                    + "Start etcd there (./scripts/etcd-local.sh starts one on http://127.0.0.1:2379) "
                    + "or point --etcd-endpoints at running members.",
                    e);
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}