using MetaService.Core.Storage;

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MetaService.Pools.Tests;

/// <summary>The server on a fresh embedded store in its own directory, deleted on dispose. Clusters are
/// <c>cluster001</c> and <c>cluster002</c>; <paramref name="settings"/> add or override configuration.</summary>
public sealed class MetaServiceFactory(params (string Key, string Value)[] settings) : WebApplicationFactory<Program>
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "metaservice-pools-" + Guid.NewGuid().ToString("N"));

    public IMetaStore Store => Services.GetRequiredService<IMetaStore>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Under WebApplicationFactory the server's switch map (--store → Store:Kind) sees Store:Kind as set
        // and empty, so the kind is given outright.
        builder.UseSetting("Store:Kind", "sqlite");
        builder.UseSetting("Store:DataDirectory", _directory);
        builder.UseSetting("Meta:Clusters:0", "cluster002");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}