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
}