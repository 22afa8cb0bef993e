using Etcdserverpb;

using Google.Protobuf;

using Grpc.Net.Client;

namespace MetaService.Load;

/// <summary>
/// The baselines' etcd client: dotnet-etcd's generated KV client on one plain gRPC channel, one Txn per call,
/// nothing else (no retries, no batching: the store's <c>TxnBatcher</c> must not lift the baseline).
/// </summary>
internal sealed class RawEtcd(string endpoint) : IDisposable
{
    private readonly GrpcChannel _channel = GrpcChannel.ForAddress(endpoint);

    private KV.KVClient Kv => new(_channel);

    /// <summary>Puts every (key, value) in one Txn that requires <paramref name="compared"/> to have mod revision
    /// <paramref name="modRevision"/> (0: no compare); the revision it made, or null if the compare failed.</summary>
    public async Task<long?> SwapAsync(string? compared, long modRevision, IReadOnlyList<(string Key, byte[] Value)> puts)
    {
        var request = new TxnRequest();
        if (compared is not null && modRevision > 0)
        {
            request.Compare.Add(new Compare
            {
                Key = ByteString.CopyFromUtf8(compared),
                Target = Compare.Types.CompareTarget.Mod,
                Result = Compare.Types.CompareResult.Equal,
                ModRevision = modRevision,
            });
        }

        foreach (var (key, value) in puts)
        {
            request.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = ByteString.CopyFromUtf8(key), Value = UnsafeByteOperations.UnsafeWrap(value) } });
        }

        var response = await Kv.TxnAsync(request);
        return response.Succeeded ? response.Header.Revision : null;
    }

    /// <summary>The mod revision of <paramref name="key"/>, 0 when it is missing.</summary>
    public async Task<long> ModRevisionAsync(string key)
    {
        var response = await Kv.RangeAsync(new RangeRequest { Key = ByteString.CopyFromUtf8(key) });
        return response.Kvs.Count > 0 ? response.Kvs[0].ModRevision : 0;
    }

    public void Dispose() => _channel.Dispose();
}