using MetaService.Core.Catalog;
using MetaService.Core.Storage;
using MetaService.Sqlite;

namespace MetaService.Server.Tests;

/// <summary>An embedded store in a temporary folder with a function catalog over it, and the draft records to put in it:
/// in openYuanrong's format, or in an earlier MetaService's own JSON (for the pass that rewrites those).</summary>
public sealed class EarlierRecordsStore : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("metaservice-earlier-").FullName;

    public EarlierRecordsStore()
    {
        Store = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = _directory });
        Catalog = new FunctionCatalog(Store, TimeProvider.System);
    }

    public SqliteMetaStore Store { get; }

    public FunctionCatalog Catalog { get; }

    /// <summary>Puts <paramref name="value"/> at <paramref name="key"/>; the write's revision.</summary>
    public async Task<long> PutAsync(string key, byte[] value) =>
        (await Store.TxnAsync([], [new WriteOp.Put(key, value)], TestContext.Current.CancellationToken)).Revision;

    public async ValueTask DisposeAsync()
    {
        await Catalog.DisposeAsync();
        await Store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}