using System.Text.Json;

using MetaService.Core;
using MetaService.Core.Catalog;
using MetaService.Core.Records;
using MetaService.Core.Storage;
using MetaService.Server.Functions;
using MetaService.Server.Tests.Observability;
using MetaService.Sqlite;
using MetaService.Tests.Fixtures;

using Microsoft.Extensions.Logging;

namespace MetaService.Server.Tests.Functions;

/// <summary>The server's start-up service (<see cref="CatalogService"/>): it starts the catalog and, once loaded, runs the
/// pass that rewrites an earlier MetaService's records (<c>EarlierRecordsTests</c> tests the pass), and says so in the log
/// only when the pass rewrote some.</summary>
public sealed class CatalogServiceTests : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("metaservice-catalogservice-").FullName;
    private readonly SqliteMetaStore _store;
    private readonly FunctionCatalog _catalog;

    public CatalogServiceTests()
    {
        _store = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = _directory });
        _catalog = new FunctionCatalog(_store, TimeProvider.System);
    }

    [Fact]
    public async Task ThePass_IsLogged_OnlyWhenItRewroteRecords()
    {
        await PutAsync("g", Original("g"));
        var nothingToRewrite = await RunAsync();
        await PutAsync("h", RecordOfAnEarlierMetaService("h"));

        var oneRewritten = await RunAsync();

        Assert.DoesNotContain(nothingToRewrite, l => l.Contains("rewrote", StringComparison.Ordinal));
        Assert.Single(oneRewritten, l => l.StartsWith(
            "MetaService.Server.Functions.CatalogService | rewrote 1 function records of an earlier MetaService in openYuanrong's format |", StringComparison.Ordinal));
        Assert.Equal(Original("h"), (await _store.GetAsync(Key("h"), TestContext.Current.CancellationToken))!.Value);
    }

    public async ValueTask DisposeAsync()
    {
        await _catalog.DisposeAsync();
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Runs the service until its pass ends; returns what it logged.</summary>
    private async Task<string[]> RunAsync()
    {
        using var capture = new LogCapture();
        using var logging = LoggerFactory.Create(b => b.AddProvider(capture));
        using var service = new CatalogService(_catalog, logging.CreateLogger<CatalogService>());
        await service.StartAsync(TestContext.Current.CancellationToken);
        await service.ExecuteTask!;
        await service.StopAsync(TestContext.Current.CancellationToken);
        return [.. capture.Lines];
    }

    private static string Key(string name) => $"/repo/FunctionVersion/yrk/default//0-svc-{name}/$latest/";

    private static byte[] Original(string name)
    {
        var (_, value) = OriginalRecords.Load(OriginalRecords.FaasDraft);
        return RecordFormat.Encode(RecordFormat.Decode(Key(name), value));
    }

    private static byte[] RecordOfAnEarlierMetaService(string name) =>
        JsonSerializer.SerializeToUtf8Bytes(RecordFormat.Decode(Key(name), Original(name)), MetaJson.Default.FunctionRecord);

    private async Task PutAsync(string name, byte[] value)
    {
        var put = await _store.TxnAsync([], [new WriteOp.Put(Key(name), value)], TestContext.Current.CancellationToken);
        await _catalog.WaitForAsync(put.Revision, TestContext.Current.CancellationToken);
    }
}