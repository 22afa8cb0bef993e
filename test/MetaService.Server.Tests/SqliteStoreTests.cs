namespace MetaService.Server.Tests;

/// <summary>What only the embedded store does; not part of the suite the etcd test project compiles.</summary>
public sealed class SqliteStoreTests
{
    [Fact]
    public async Task Factory_StoresItsDataInTheConfiguredDirectory()
    {
        await using var factory = new MetaServiceFactory();
        using var api = factory.CreateApi();

        await api.CreateOkAsync(Bodies.Faas(Names.Faas()));

        Assert.True(File.Exists(Path.Combine(factory.DataDirectory, "meta.db")));
    }

    [Theory]
    [InlineData("Store:Sqlite:MaxBatch", "0")]
    [InlineData("Store:Sqlite:HistoryRetention", "-1")]
    [InlineData("Store:Sqlite:FeedCapacityBytes", "0")]
    [InlineData("Store:Sqlite:MaxBatch", "many")]
    public async Task ABadStoreSetting_StopsTheStart_NamingTheKey(string key, string value)
    {
        await using var factory = new MetaServiceFactory();
        factory.Settings[key] = value;

        var refused = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains(key, refused.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheHistory_IsTrimmedBetweenPasses_OnceItGrewBy_PruneAfterAppends()
    {
        await using var factory = new MetaServiceFactory();
        factory.Settings["History:PruneAfterAppends"] = "4";
        factory.Settings["History:MaxEntriesPerFunction"] = "2";
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var revisionId = (string)(await api.CreateOkAsync(Bodies.Faas(name)))["revisionId"]!;
        for (var i = 0; i < 5; i++)
        {
            revisionId = await HistoryTests.UpdateAsync(api, name, revisionId, 200 + i);
        }

        // The pass every History:PruneIntervalSeconds (600 s) is far off: the growth trims it.
        var newest = (await HistoryTests.EntriesAsync(api, name)).Take(2).Select(e => (long)e!["revision"]!).ToList();
        await Polling.UntilAsync(async () => (await HistoryTests.EntriesAsync(api, name)).Count == 2, "the history trimmed to its newest 2 entries");
        Assert.Equal(newest, (await HistoryTests.EntriesAsync(api, name)).Select(e => (long)e!["revision"]!));
    }

    [Fact]
    public async Task AOneByteChangeFeed_StillDeliversEveryChange_FromTheFile()
    {
        await using var factory = new MetaServiceFactory();
        factory.Settings["Store:Sqlite:FeedCapacityBytes"] = "1";
        factory.Settings["Store:Sqlite:MaxBatch"] = "1";
        using var api = factory.CreateApi();
        var name = Names.Faas();

        var created = await api.CreateOkAsync(Bodies.Faas(name));
        var body = Bodies.Update((string)created["revisionId"]!, "faas");
        body["description"] = "changed through the log";
        await api.UpdateOkAsync(name, body);

        var row = Assert.Single(await api.ListRowsAsync("?name=" + name));
        Assert.Equal("changed through the log", (string?)row["description"]);
    }
}