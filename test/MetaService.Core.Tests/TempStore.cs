using MetaService.Core.Storage;
using MetaService.Sqlite;
using MetaService.Tests.Fixtures;

namespace MetaService.Core.Tests;

/// <summary>A real embedded store (a file) in a temporary directory of its own, deleted with it: the store the Core
/// services are tested on.</summary>
internal sealed class TempStore : IAsyncDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "metaservice-core-" + Guid.NewGuid().ToString("N"));

    /// <param name="withoutAppendLog">Whether the store is seen without its append log (<see cref="WithoutAppendLog"/>), as
    /// the history sees a store that has none.</param>
    public TempStore(bool withoutAppendLog = false)
    {
        var store = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = _directory });
        Store = withoutAppendLog ? new WithoutAppendLog(store) : store;
    }

    public IMetaStore Store { get; }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}