using Etcdserverpb;

using MetaService.Core.Storage;

using Microsoft.Extensions.Logging;

using EtcdCompare = Etcdserverpb.Compare;
using StoreCompare = MetaService.Core.Storage.Compare;

namespace MetaService.Etcd;

/// <summary>
/// The store on an etcd cluster (API 3.4 and later), keeping etcd's own revisions: a record's mod revision
/// is etcd's, compares are etcd compares, and one store transaction is one etcd <c>Txn</c>. Every key is
/// stored under <see cref="EtcdStoreOptions.KeyPrefix"/> (openYuanrong's <c>azPrefix</c>).
/// </summary>
public sealed class EtcdMetaStore : IMetaStore
{
    private readonly EtcdConnection _connection;
    private readonly EtcdKeys _keys;
    private readonly EtcdWatches _watches;
    private readonly TxnBatcher _batcher;

    public EtcdMetaStore(EtcdStoreOptions options, TimeProvider time, ILogger<EtcdMetaStore> logger)
    {
        var problems = options.Problems().ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", problems), nameof(options));
        }

        _connection = new EtcdConnection(options, time, logger);
        _keys = new EtcdKeys(options.KeyPrefix);
        _watches = new EtcdWatches(_connection, _keys);
        _batcher = new TxnBatcher(
            (request, cancellationToken) => _connection.CallAsync("txn", idempotent: false, o => _connection.Kv.TxnAsync(request, o).ResponseAsync, cancellationToken),
            options.TxnsInFlight,
            options.TxnBatchLimit);
    }

    public async Task<KeyValue?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        var request = new RangeRequest { Key = _keys.Key(key) };
        var response = await _connection.CallAsync("get", idempotent: true, o => _connection.Kv.RangeAsync(request, o).ResponseAsync, cancellationToken);
        return response.Kvs.Count == 0 ? null : _keys.ToKeyValue(response.Kvs[0]);
    }

    public Task<RangeResult> RangeAsync(string prefix, int limit = 0, string? startAfter = null, CancellationToken cancellationToken = default) =>
        RangeAsync(prefix, limit, startAfter, keysOnly: false, cancellationToken);

    /// <summary>etcd's <c>keys_only</c> range: the values stay in etcd.</summary>
    public Task<RangeResult> RangeKeysAsync(string prefix, int limit = 0, string? startAfter = null, CancellationToken cancellationToken = default) =>
        RangeAsync(prefix, limit, startAfter, keysOnly: true, cancellationToken);

    /// <summary>One etcd Txn, possibly carried together with other writers' transactions (see <see cref="TxnBatcher"/>).</summary>
    public Task<TxnResult> TxnAsync(IReadOnlyList<StoreCompare> compares, IReadOnlyList<WriteOp> writes, CancellationToken cancellationToken = default)
    {
        var request = new TxnRequest();
        var keys = new HashSet<string>(compares.Count + writes.Count, StringComparer.Ordinal);
        var ranges = false;
        for (var i = 0; i < compares.Count; i++)
        {
            request.Compare.Add(ToEtcd(compares[i]));
            keys.Add(compares[i].Key);
        }

        for (var i = 0; i < writes.Count; i++)
        {
            request.Success.Add(ToEtcd(writes[i]));
            keys.Add(writes[i].Key);
            ranges |= writes[i] is WriteOp.DeletePrefix;
        }

        return _batcher.TxnAsync(request, keys, alone: ranges, cancellationToken);
    }

    private async Task<RangeResult> RangeAsync(string prefix, int limit, string? startAfter, bool keysOnly, CancellationToken cancellationToken)
    {
        var request = new RangeRequest
        {
            Key = startAfter is null ? _keys.Key(prefix) : _keys.After(startAfter),
            RangeEnd = _keys.PrefixEnd(prefix),
            Limit = limit,
            KeysOnly = keysOnly,
        };
        var response = await _connection.CallAsync("range", idempotent: true, o => _connection.Kv.RangeAsync(request, o).ResponseAsync, cancellationToken);
        return new RangeResult([.. response.Kvs.Select(_keys.ToKeyValue)], response.Header.Revision, response.More);
    }

    public IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long fromRevision, CancellationToken cancellationToken = default) =>
        _watches.WatchAsync(prefix, fromRevision, cancellationToken);

    public async Task<long> GetRevisionAsync(CancellationToken cancellationToken = default)
    {
        // A count-only range of one key costs etcd nothing and carries the cluster's revision.
        var request = new RangeRequest { Key = _keys.Key("/"), CountOnly = true };
        var response = await _connection.CallAsync("revision", idempotent: true, o => _connection.Kv.RangeAsync(request, o).ResponseAsync, cancellationToken);
        return response.Header.Revision;
    }

    /// <summary>A count-only range at <paramref name="revision"/>: etcd refuses it once compacted past it.</summary>
    public Task<bool> KeepsRevisionAsync(long revision, CancellationToken cancellationToken = default)
    {
        var request = new RangeRequest { Key = _keys.Key("/"), CountOnly = true, Revision = revision };
        return _connection.CallAsync("history", idempotent: true, async o =>
        {
            try
            {
                await _connection.Kv.RangeAsync(request, o).ResponseAsync;
                return true;
            }
            catch (Grpc.Core.RpcException e) when (e.Status.Detail.Contains("compacted", StringComparison.Ordinal) || e.Status.Detail.Contains("future rev", StringComparison.Ordinal))
            {
                return false;
            }
        }, cancellationToken);
    }

    /// <summary>A read of the key at that revision; null when etcd has compacted past it or the key was not put then.</summary>
    public Task<KeyValue?> GetAtAsync(string key, long modRevision, CancellationToken cancellationToken = default)
    {
        var request = new RangeRequest { Key = _keys.Key(key), Revision = modRevision };
        return _connection.CallAsync("get-at", idempotent: true, async o =>
        {
            try
            {
                var response = await _connection.Kv.RangeAsync(request, o).ResponseAsync;
                return response.Kvs.Count == 1 && response.Kvs[0].ModRevision == modRevision ? _keys.ToKeyValue(response.Kvs[0]) : null;
            }
            catch (Grpc.Core.RpcException e) when (e.Status.Detail.Contains("compacted", StringComparison.Ordinal) || e.Status.Detail.Contains("future rev", StringComparison.Ordinal))
            {
                return (KeyValue?)null;
            }
        }, cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        _connection.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>etcd has no "mod revision of an absent key"; absence is a zero version.</summary>
    private EtcdCompare ToEtcd(StoreCompare compare) => compare.ModRevision == 0
        ? new EtcdCompare { Key = _keys.Key(compare.Key), Target = EtcdCompare.Types.CompareTarget.Version, Result = EtcdCompare.Types.CompareResult.Equal, Version = 0 }
        : new EtcdCompare { Key = _keys.Key(compare.Key), Target = EtcdCompare.Types.CompareTarget.Mod, Result = EtcdCompare.Types.CompareResult.Equal, ModRevision = compare.ModRevision };

    /// <summary>A put's value goes out as it is, not copied: nothing writes to a value once it is handed to the store.</summary>
    private RequestOp ToEtcd(WriteOp write) => write switch
    {
        WriteOp.Put put => new RequestOp { RequestPut = new PutRequest { Key = _keys.Key(put.Key), Value = Google.Protobuf.UnsafeByteOperations.UnsafeWrap(put.Value) } },
        WriteOp.Delete delete => new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = _keys.Key(delete.Key) } },
        WriteOp.DeletePrefix prefix => new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = _keys.Key(prefix.Key), RangeEnd = _keys.PrefixEnd(prefix.Key) } },
        _ => throw new ArgumentException($"unknown write {write.GetType().Name}", nameof(write)),
    };
}