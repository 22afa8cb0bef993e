using MetaService.Core.Storage;
using MetaService.Sqlite;

namespace MetaService.Core.Tests;

/// <summary>A real embedded store (a file) in a temporary directory of its own, deleted with it: the store the Core
/// services are tested on.</summary>
internal sealed class TempStore : IAsyncDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "metaservice-core-" + Guid.NewGuid().ToString("N"));

    public TempStore()
    {
        Store = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = _directory });
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