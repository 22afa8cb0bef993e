using MetaService.Core.Storage;

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MetaService.Server.Tests;

/// <summary>
/// The real server on a real SQLite file: each factory gets a fresh data directory, deleted when the
/// factory that owns it is disposed. <see cref="RestartAsync"/> stops this server and starts a new one
/// on the same directory, as a process restart would.
/// </summary>
public sealed class MetaServiceFactory : WebApplicationFactory<Program>
{
    private bool _ownsDirectory;

    public MetaServiceFactory()
        : this(Path.Combine(Path.GetTempPath(), "metaservice-tests-" + Guid.NewGuid().ToString("N")))
    {
    }

    private MetaServiceFactory(string dataDirectory)
    {
        DataDirectory = dataDirectory;
        _ownsDirectory = true;
    }

    public string DataDirectory { get; }

    /// <summary>The server's own store, to read back what a request wrote.</summary>
    public IMetaStore Store => Services.GetRequiredService<IMetaStore>();

    /// <summary>A client of the function routes under <paramref name="root"/>, sending the tenant headers given.</summary>
    public Api CreateApi(string? tenant = null, string? product = null, string root = Api.ServerlessRoot)
    {
        var client = CreateClient();
        if (tenant is not null)
        {
            client.DefaultRequestHeaders.Add("X-Tenant-Id", tenant);
        }

        if (product is not null)
        {
            client.DefaultRequestHeaders.Add("X-Product-Id", product);
        }

        return new Api(client, root);
    }

    /// <summary>Stops this server (keeping its data) and starts a new one on the same data directory.</summary>
    public async Task<MetaServiceFactory> RestartAsync()
    {
        _ownsDirectory = false;
        await DisposeAsync();
        return new MetaServiceFactory(DataDirectory);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_ownsDirectory && Directory.Exists(DataDirectory))
        {
            _ownsDirectory = false;
            Directory.Delete(DataDirectory, recursive: true);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Store:DataDirectory", DataDirectory);

        builder.UseSetting("Store:Kind", "sqlite");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
    }
}