using MetaService.Core.Storage;
using MetaService.Sqlite;

namespace MetaService.Pools.Tests.Seam;

/// <summary>Fresh embedded stores in their own temporary directories.</summary>
internal sealed class SqliteStores : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "metaservice-seam-" + Guid.NewGuid().ToString("N"));

    public Task<IMetaStore> OpenAsync() => Task.FromResult<IMetaStore>(SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = _directory }));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}