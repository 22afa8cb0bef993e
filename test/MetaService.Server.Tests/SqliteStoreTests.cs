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