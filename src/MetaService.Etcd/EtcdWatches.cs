using System.Runtime.CompilerServices;

using Etcdserverpb;

using Grpc.Core;

using MetaService.Core.Storage;

namespace MetaService.Etcd;

/// <summary>A prefix watch as one etcd watch stream: the stream's responses become the store's events, a
/// compacted start revision becomes <see cref="RevisionCompactedException"/>, and a broken stream becomes
/// <see cref="StoreUnavailableException"/> (the caller re-reads and watches again).</summary>
internal sealed class EtcdWatches(EtcdConnection connection, EtcdKeys keys)
{
    public async IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long fromRevision, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // A token etcd dropped (expired, or auth turned off and on) cancels the watch as it is created, before
        // any event: authenticate again and watch once more.
        for (var attempt = 1; ; attempt++)
        {
            var headers = await connection.CallAsync("watch", idempotent: true, o => Task.FromResult(o.Headers), cancellationToken);
            using var call = connection.Watch.Watch(headers, cancellationToken: cancellationToken);
            var create = new WatchCreateRequest { Key = keys.Key(prefix), RangeEnd = keys.PrefixEnd(prefix), StartRevision = Math.Max(fromRevision, 1) };
            await CreateAsync(call.RequestStream, new WatchRequest { CreateRequest = create }, cancellationToken);
            var tokenRefused = false;
            while (!tokenRefused && await MoveNextAsync(call.ResponseStream, cancellationToken))
            {
                var response = call.ResponseStream.Current;
                if (response.CompactRevision > 0)
                {
                    throw new RevisionCompactedException(fromRevision, response.CompactRevision);
                }

                if (response.Canceled && attempt == 1 && EtcdConnection.IsAuthExpired(response.CancelReason))
                {
                    connection.ForgetToken(headers);
                    tokenRefused = true;
                    continue;
                }

                if (response.Canceled)
                {
                    throw new StoreUnavailableException($"etcd cancelled the watch of {prefix}: {response.CancelReason}");
                }

                foreach (var change in response.Events)
                {
                    var type = change.Type == Mvccpb.Event.Types.EventType.Delete ? WatchEventType.Delete : WatchEventType.Put;
                    yield return new WatchEvent(type, keys.ToKeyValue(change.Kv));
                }
            }

            if (!tokenRefused)
            {
                throw new StoreUnavailableException($"the etcd watch of {prefix} ended");
            }
        }
    }

    private static async Task CreateAsync(IClientStreamWriter<WatchRequest> requests, WatchRequest create, CancellationToken cancellationToken)
    {
        try
        {
            await requests.WriteAsync(create, cancellationToken);
        }
        catch (RpcException e)
        {
            throw Fault(e, cancellationToken);
        }
    }

    private static async Task<bool> MoveNextAsync(IAsyncStreamReader<WatchResponse> responses, CancellationToken cancellationToken)
    {
        try
        {
            return await responses.MoveNext(cancellationToken);
        }
        catch (RpcException e)
        {
            throw Fault(e, cancellationToken);
        }
    }

    /// <summary>A cancelled stream is a cancellation, and so is any failure once the caller cancelled (cancelling a call
    /// mid-read may surface as <c>Unavailable</c>: "the request was aborted"); any other failure a store fault (the
    /// caller reads anew and watches again).</summary>
    private static Exception Fault(RpcException e, CancellationToken cancellationToken) => e.StatusCode == StatusCode.Cancelled || cancellationToken.IsCancellationRequested
        ? new OperationCanceledException("the etcd watch was cancelled", e, cancellationToken)
        : new StoreUnavailableException($"the etcd watch failed: {e.StatusCode}: {e.Status.Detail}", e);
}