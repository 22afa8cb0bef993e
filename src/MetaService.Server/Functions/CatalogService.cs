using MetaService.Core.Functions;

namespace MetaService.Server.Functions;

/// <summary>Starts loading the function catalog with the host, so the first request finds it (nearly) ready.</summary>
internal sealed class CatalogService(FunctionCatalog catalog) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        catalog.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}