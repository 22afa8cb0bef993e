using MetaService.Core.Storage;
using MetaService.Etcd;
using MetaService.Server.Startup;

using Microsoft.Extensions.Options;

namespace MetaService.Server.Storage;

/// <summary>The etcd store behind the watch-fed view: settings from <c>Store:Etcd</c> and <c>Store:View</c>,
/// checked at start, and the view read in full before the server answers.</summary>
internal static class EtcdRegistration
{
    /// <summary>Registers the view over etcd; returns how the store is made.</summary>
    public static Func<IServiceProvider, IMetaStore> AddEtcdStore(this IServiceCollection services, IConfigurationSection store)
    {
        services.AddSettings<EtcdStoreOptions>(store.GetSection("Etcd"));
        services.AddSettings<WatchedViewOptions>(store.GetSection("View"));
        services.AddSingleton(sp => new WatchedView(
            new EtcdMetaStore(sp.GetRequiredService<IOptions<EtcdStoreOptions>>().Value, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<EtcdMetaStore>>()),
            sp.GetRequiredService<IOptions<WatchedViewOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<WatchedView>>()));
        services.AddSingleton<ViewStartup>();
        services.AddHostedService(sp => sp.GetRequiredService<ViewStartup>());
        return sp => sp.GetRequiredService<WatchedView>();
    }

    /// <summary>Reads the etcd view before the host starts (from Program, after the settings are checked), so that an
    /// unreachable etcd stops the start with one line that says where and what to do; the host's start then finds it
    /// read. (In a test host, which starts the host directly, the host's start reads it.)</summary>
    public static async Task ReadEtcdViewAsync(this WebApplication app)
    {
        if (app.Services.GetService<ViewStartup>() is { } view)
        {
            await view.StartAsync(app.Lifetime.ApplicationStopping);
        }
    }

    /// <summary>Reads the view once, whichever asks first.</summary>
    private sealed class ViewStartup(WatchedView view, IOptions<EtcdStoreOptions> options) : IHostedService
    {
        private Task? _read;

        public Task StartAsync(CancellationToken cancellationToken) => _read ??= ReadAsync(cancellationToken);

        private async Task ReadAsync(CancellationToken cancellationToken)
        {
            try
            {
                await view.StartAsync(cancellationToken);
            }
            catch (StoreUnavailableException e)
            {
                throw new SettingsException(
                    $"etcd at {options.Value.EndpointList} (Store:Etcd:Endpoints) is unreachable: {e.Message}. "
                    + "Start etcd there (./scripts/etcd-local.sh starts one on http://127.0.0.1:2379) "
                    + "or point --etcd-endpoints (or etcd.servers of -config_path's file) at running members.");
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}