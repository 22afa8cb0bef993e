using MetaService.Core.Storage;

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MetaService.Server.Tests;

/// <summary>
/// The real server on a real store (<see cref="StoreUnderTest"/> says which): each factory gets a fresh
/// store of its own (a data directory, or a key prefix on a shared etcd), deleted when the factory that
/// owns it is disposed. <see cref="RestartAsync"/> stops this server and starts a new one on the same
/// store, as a process restart would; <see cref="ReplicaOf"/> starts a second server on the same store.
/// A dispose returns once the server's services (its store, its meters) are disposed.
/// </summary>
public sealed class MetaServiceFactory : WebApplicationFactory<Program>
{
    private bool _ownsDirectory;
    /// <summary>The meter factory of each server this factory started (its own and those of <see cref="WebApplicationFactory{T}.WithWebHostBuilder"/>).</summary>
    private readonly List<System.Diagnostics.Metrics.IMeterFactory> _meters = [];

    public MetaServiceFactory()
        : this(Guid.NewGuid().ToString("N"), ownsDirectory: true)
    {
    }

    private MetaServiceFactory(string id, bool ownsDirectory)
    {
        Id = id;
        DataDirectory = Path.Combine(Path.GetTempPath(), "metaservice-tests-" + id);
        _ownsDirectory = ownsDirectory;
    }

    /// <summary>Names this factory's store: its data directory and its etcd key prefix.</summary>
    public string Id { get; }

    public string DataDirectory { get; }

    /// <summary>Further settings, applied after the store's.</summary>
    public Dictionary<string, string> Settings { get; } = [];

    /// <summary>The server's own store, to read back what a request wrote.</summary>
    public IMetaStore Store => Services.GetRequiredService<IMetaStore>();

    /// <summary>Another server on the store of <paramref name="other"/> (a second replica); the store stays
    /// <paramref name="other"/>'s to delete.</summary>
    public static MetaServiceFactory ReplicaOf(MetaServiceFactory other)
    {
        var replica = new MetaServiceFactory(other.Id, ownsDirectory: false);
        foreach (var (key, value) in other.Settings)
        {
            replica.Settings[key] = value;
        }

        return replica;
    }

    /// <summary>Starts the server on Kestrel, at a port of its own on 127.0.0.1 (for requests over a real connection,
    /// not the in-memory test server); answers its address. <paramref name="derived"/>: start instead a server this
    /// factory made with <see cref="WebApplicationFactory{T}.WithWebHostBuilder"/> (it reads these settings too).</summary>
    public Uri StartOnKestrel(WebApplicationFactory<Program>? derived = null)
    {
        Settings["urls"] = "http://127.0.0.1:0";
        var server = derived ?? this;
        server.UseKestrel();
        server.StartServer();
        return new Uri(server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

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

    /// <summary>Stops this server (keeping its data) and starts a new one on the same store.</summary>
    public async Task<MetaServiceFactory> RestartAsync()
    {
        var owned = _ownsDirectory;
        _ownsDirectory = false;
        await DisposeAsync();
        var restarted = new MetaServiceFactory(Id, owned);
        foreach (var (key, value) in Settings)
        {
            restarted.Settings[key] = value;
        }

        return restarted;
    }

    public override async ValueTask DisposeAsync()
    {
        // The program disposes the server's services after this dispose returns: wait for it, so that no part of this
        // server (meters that another server's series would merge with, the store) outlives the test.
        List<ServerMeters> servers;
        lock (_meters)
        {
            servers = [.. _meters.Select(m => new ServerMeters(m))];
            _meters.Clear();
        }

        try
        {
            await base.DisposeAsync();
            foreach (var server in servers)
            {
                await server.WaitUntilDisposedAsync();
            }
        }
        finally
        {
            servers.ForEach(s => s.Dispose());
        }

        if (_ownsDirectory && Directory.Exists(DataDirectory))
        {
            _ownsDirectory = false;
            Directory.Delete(DataDirectory, recursive: true);
        }
    }

    protected override IHost CreateHost(IHostBuilder builder)
    {
        // As the base class does (build, start), but a host whose start is refused (a bad setting) is disposed, so that
        // its meters and watchers do not outlive the test that expected the refusal.
        var host = builder.Build();
        try
        {
            host.Start();
        }
        catch
        {
            host.Dispose();
            throw;
        }

        lock (_meters)
        {
            _meters.Add(host.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        }

        return host;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Store:DataDirectory", DataDirectory);
        StoreUnderTest.Configure(builder, Id);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }
}