using BenchmarkDotNet.Attributes;

using MetaService.Core.Storage;
using MetaService.Sqlite;

namespace MetaService.Bench.Storage;

/// <summary>The embedded store's point read and a single-key CAS (one fsync each, nothing to group with).</summary>
[MemoryDiagnoser]
public class SqliteStoreBenchmarks
{
    private const string Key = "/repo/FunctionVersion/yrk/default//0-bench-fn000001/$latest/";
    private readonly byte[] _value = new byte[1800];
    private string _directory = "";
    private SqliteMetaStore _store = null!;
    private long _modRevision;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "metaservice-bdn-" + Guid.NewGuid().ToString("N"));
        _store = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = _directory });
        _modRevision = _store.TxnAsync([], [new WriteOp.Put(Key, _value)]).GetAwaiter().GetResult().Revision;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark]
    public Task<KeyValue?> Get() => _store.GetAsync(Key);

    [Benchmark]
    public async Task<bool> CompareAndPut()
    {
        var result = await _store.TxnAsync([new Compare(Key, _modRevision)], [new WriteOp.Put(Key, _value)]);
        _modRevision = result.Revision;
        return result.Succeeded;
    }
}