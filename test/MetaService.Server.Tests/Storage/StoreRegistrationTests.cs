using MetaService.Core.Storage;
using MetaService.Server.Startup;
using MetaService.Server.Storage;
using MetaService.Sqlite;

using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MetaService.Server.Tests.Storage;

/// <summary>The store <c>Store:Kind</c> chooses (<see cref="StoreRegistration.AddMetaStore"/>): the embedded store in
/// <c>Store:DataDirectory</c>, etcd read before the server answers, and a kind or an etcd that cannot be used stopping the
/// start with one line that says what to do.</summary>
public sealed class StoreRegistrationTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("metaservice-storekind-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(null)]
    [InlineData("sqlite")]
    [InlineData("SQLite")]
    [InlineData("embedded")]
    public async Task TheEmbeddedStore_IsTheDefault_InTheDataDirectory(string? kind)
    {
        await using var app = Build(new() { ["Store:Kind"] = kind, ["Store:DataDirectory"] = _directory });

        await app.ReadEtcdViewAsync();
        var store = app.Services.GetRequiredService<IMetaStore>();
        await store.GetRevisionAsync(TestContext.Current.CancellationToken);

        Assert.IsType<MeteredStore>(store);
        Assert.True(File.Exists(Path.Combine(_directory, "meta.db")));
    }

    [Fact]
    public async Task WithoutADataDirectory_TheEmbeddedStoreIsInData_BesideWhereTheServerStarted()
    {
        // A content root without appsettings.json (whose Store:DataDirectory says the same), so the code's default shows.
        await using var app = Build(new() { ["Store:Kind"] = "sqlite" }, contentRoot: _directory);

        var options = app.Services.GetRequiredService<IOptions<SqliteStoreOptions>>().Value;

        Assert.Equal(Path.Combine(Environment.CurrentDirectory, "data"), options.DataDirectory);
    }

    [Fact]
    public void AnUnknownKind_StopsTheStart_NamingTheKinds()
    {
        var refused = Assert.Throws<SettingsException>(() => Build(new() { ["Store:Kind"] = "etcdx" }));

        Assert.Equal("Store:Kind 'etcdx' is unknown: use 'sqlite' (the embedded store, the default) or 'etcd'.", refused.Message);
    }

    [Fact]
    public async Task AnEtcdThatDoesNotAnswer_StopsTheStart_SayingWhereAndWhatToDo()
    {
        await using var app = Build(new()
        {
            ["Store:Kind"] = "ETCD",
            ["Store:Etcd:Endpoints:0"] = "http://127.0.0.1:1",
            ["Store:Etcd:RequestTimeout"] = "00:00:01",
        });

        var refused = await Assert.ThrowsAsync<SettingsException>(app.ReadEtcdViewAsync);

        Assert.StartsWith("etcd at http://127.0.0.1:1 (Store:Etcd:Endpoints) is unreachable: ", refused.Message, StringComparison.Ordinal);
        Assert.EndsWith(". Start etcd there (./scripts/etcd-local.sh starts one on http://127.0.0.1:2379) "
            + "or point --etcd-endpoints (or etcd.servers of -config_path's file) at running members.", refused.Message, StringComparison.Ordinal);

        // Read once, whoever asks first: the host's start gets the same refusal without asking etcd again.
        Assert.Same(refused, await Assert.ThrowsAsync<SettingsException>(app.ReadEtcdViewAsync));
    }

    private static WebApplication Build(Dictionary<string, string?> settings, string? contentRoot = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = contentRoot });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddMetaStore(builder.Configuration);
        return builder.Build();
    }
}