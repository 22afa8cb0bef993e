using MetaService.Server.Functions;
using MetaService.Server.Tests.Observability;
using MetaService.Tests.Fixtures;

using Microsoft.Extensions.Logging;

namespace MetaService.Server.Tests.Functions;

/// <summary>The server's start-up service (<see cref="CatalogService"/>): it starts the catalog and, once loaded, runs the
/// pass that rewrites an earlier MetaService's records (<c>EarlierRecordsTests</c> tests the pass), and says so in the log
/// only when the pass rewrote some.</summary>
public sealed class CatalogServiceTests : IAsyncDisposable
{
    private readonly EarlierRecordsStore _records = new();

    [Fact]
    public async Task ThePass_IsLogged_OnlyWhenItRewroteRecords()
    {
        await PutAsync("g", DraftRecordValues.Original("g"));
        var nothingToRewrite = await RunAsync();
        await PutAsync("h", DraftRecordValues.Own("h"));

        var oneRewritten = await RunAsync();

        Assert.DoesNotContain(nothingToRewrite, l => l.Contains("rewrote", StringComparison.Ordinal));
        Assert.Single(oneRewritten, l => l.StartsWith(
            "MetaService.Server.Functions.CatalogService | rewrote 1 function records of an earlier MetaService in openYuanrong's format |", StringComparison.Ordinal));
        Assert.Equal(DraftRecordValues.Original("h"), (await _records.Store.GetAsync(DraftRecordValues.Key("h"), TestContext.Current.CancellationToken))!.Value);
    }

    public ValueTask DisposeAsync() => _records.DisposeAsync();

    /// <summary>Runs the service until its pass ends; returns what it logged.</summary>
    private async Task<string[]> RunAsync()
    {
        using var capture = new LogCapture();
        using var logging = LoggerFactory.Create(b => b.AddProvider(capture));
        using var service = new CatalogService(_records.Catalog, logging.CreateLogger<CatalogService>());
        await service.StartAsync(TestContext.Current.CancellationToken);
        await service.ExecuteTask!;
        await service.StopAsync(TestContext.Current.CancellationToken);
        return [.. capture.Lines];
    }

    private async Task PutAsync(string name, byte[] value) =>
        await _records.Catalog.WaitForAsync(await _records.PutAsync(DraftRecordValues.Key(name), value), TestContext.Current.CancellationToken);
}