using System.Runtime.CompilerServices;

using Etcdserverpb;

using Google.Protobuf;

using MetaService.Core.Storage;

using Microsoft.Extensions.Logging;

namespace MetaService.Etcd;

/// <summary>
/// etcd's keys as of one revision, read in pages that are each pinned to that revision (etcd's <c>Range</c> with
/// <c>revision</c>), so a copy of a live cluster is one point in time however many pages it takes. The store seam has
/// no read at a past revision; this reader, used only by maintenance, does. Keys are those of
/// <see cref="EtcdStoreOptions.KeyPrefix"/> with the prefix stripped, as the store shows them.
/// </summary>
public sealed class EtcdSnapshot : IAsyncDisposable
{
    private readonly EtcdConnection _connection;
    private readonly EtcdKeys _keys;

    private EtcdSnapshot(EtcdConnection connection, EtcdKeys keys, long revision)
    {
        _connection = connection;
        _keys = keys;
        Revision = revision;
    }

    /// <summary>The etcd revision every key read is as of.</summary>
    public long Revision { get; }

    /// <summary>Connects and pins the cluster's current revision.</summary>
    public static async Task<EtcdSnapshot> OpenAsync(EtcdStoreOptions options, TimeProvider time, ILogger logger, CancellationToken cancellationToken = default)
    {
        var problems = options.Problems().ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", problems), nameof(options));
        }

        var connection = new EtcdConnection(options, time, logger);
        try
        {
            var keys = new EtcdKeys(options.KeyPrefix);
            var request = new RangeRequest { Key = keys.Key("/"), CountOnly = true };
            var response = await connection.CallAsync("revision", idempotent: true, o => connection.Kv.RangeAsync(request, o).ResponseAsync, cancellationToken);
            return new EtcdSnapshot(connection, keys, response.Header.Revision);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Every key under <paramref name="prefix"/> as of <see cref="Revision"/>, in key order, read
    /// <paramref name="pageSize"/> keys at a time. Fails (<see cref="StoreUnavailableException"/>, "compacted") when
    /// etcd compacts that revision away before the last page.</summary>
    public async IAsyncEnumerable<KeyValue> ReadAsync(string prefix, int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageSize);
        ByteString? after = null;

        // Bounded by the keyspace: each page starts strictly past the last key of the one before (its raw bytes and a
        // zero byte, so that even a key that is not UTF-8 cannot make a page start again).
        while (true)
        {
            var request = new RangeRequest
            {
                Key = after ?? _keys.Key(prefix),
                RangeEnd = _keys.PrefixEnd(prefix),
                Limit = pageSize,
                Revision = Revision,
            };
            var response = await _connection.CallAsync("range", idempotent: true, o => _connection.Kv.RangeAsync(request, o).ResponseAsync, cancellationToken);
            foreach (var kv in response.Kvs)
            {
                yield return _keys.ToKeyValue(kv);
            }

            if (!response.More || response.Kvs.Count == 0)
            {
                yield break;
            }

            after = ByteString.CopyFrom([.. response.Kvs[^1].Key.Span, 0]);
        }
    }

    public ValueTask DisposeAsync()
    {
        _connection.Dispose();
        return ValueTask.CompletedTask;
    }
}