using Etcdserverpb;

using Grpc.Core;

using MetaService.Core.Storage;

namespace MetaService.Etcd;

/// <summary>
/// Group commit for etcd. At most <see cref="EtcdStoreOptions.TxnsInFlight"/> Txn calls are outstanding; a
/// transaction that arrives while they all are waits, and the next call carries every waiting transaction that
/// shares no key with another (up to <see cref="EtcdStoreOptions.TxnBatchLimit"/>) as nested Txns of one outer
/// Txn without compares: one raft proposal and one round trip for many updates.
/// </summary>
/// <remarks>
/// etcd decides every branch of a Txn, nested ones included, on the state before the Txn, then applies the
/// chosen writes at one revision. Because the members of a batch touch disjoint keys (compared, put or deleted),
/// each member's compares hold or fail exactly as they would alone, and the batch equals the members applied one
/// after another: each member gets its own outcome, and the revision of the batch. A member that deletes a prefix,
/// or is large, is sent alone. Members go out in arrival order, except that one sharing a key with an earlier
/// member of the batch waits for the next call. A batch etcd refuses as a whole (<c>InvalidArgument</c>: nothing
/// applied) is sent again member by member, so one bad member, or limits set below etcd's defaults, fail no other.
/// </remarks>
internal sealed class TxnBatcher(Func<TxnRequest, CancellationToken, Task<TxnResponse>> send, int inFlight, int batchLimit)
{
    /// <summary>etcd refuses a Txn with more than 128 operations on one level (its default <c>--max-txn-ops</c>), nested
    /// levels counting their parent's; and a request over 1.5 MiB (<c>--max-request-bytes</c>).</summary>
    private const int MaxMemberOps = 64;
    private const int MaxBatchBytes = 512 * 1024;

    /// <summary>A successful member's <see cref="TxnResult.DeletedNothing"/> when each of its deletes found its key.</summary>
    private static readonly IReadOnlySet<int> NoneDeletedNothing = new HashSet<int>();

    private readonly Lock _lock = new();
    private readonly List<Pending> _waiting = [];
    private int _calls;

    /// <summary>Runs one transaction, alone or as a member of a batch; <paramref name="keys"/> are every key it
    /// compares or writes, and <paramref name="alone"/> says it must not share its Txn (it deletes a range).</summary>
    public Task<TxnResult> TxnAsync(TxnRequest request, IReadOnlyCollection<string> keys, bool alone, CancellationToken cancellationToken)
    {
        var pending = new Pending(request, keys, alone || request.Compare.Count + request.Success.Count > MaxMemberOps, cancellationToken);
        List<Pending>? batch = null;
        lock (_lock)
        {
            _waiting.Add(pending);
            if (_calls < inFlight)
            {
                // Empty only when this very transaction was cancelled already.
                batch = TakeBatch();
                _calls += batch.Count > 0 ? 1 : 0;
            }
        }

        if (batch is { Count: > 0 })
        {
            _ = RunAsync(batch);
        }

        return pending.Done.Task;
    }

    /// <summary>Sends batches until none is waiting, then frees its call slot.</summary>
    private async Task RunAsync(List<Pending> batch)
    {
        while (true)
        {
            await SendAsync(batch);
            lock (_lock)
            {
                batch = TakeBatch();
                if (batch.Count == 0)
                {
                    _calls--;
                    return;
                }
            }
        }
    }

    /// <summary>The waiting members that go together, in arrival order; called under the lock.</summary>
    private List<Pending> TakeBatch()
    {
        var batch = new List<Pending>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var bytes = 0;
        for (var i = 0; i < _waiting.Count && batch.Count < batchLimit;)
        {
            var candidate = _waiting[i];
            if (candidate.Cancellation.IsCancellationRequested)
            {
                _waiting.RemoveAt(i);
                candidate.Done.TrySetCanceled(candidate.Cancellation);
                continue;
            }

            if (batch.Count == 0 && candidate.Alone)
            {
                _waiting.RemoveAt(i);
                return [candidate];
            }

            var size = candidate.Request.CalculateSize();
            if (!candidate.Alone && (batch.Count == 0 || bytes + size <= MaxBatchBytes) && !candidate.Keys.Any(keys.Contains))
            {
                _waiting.RemoveAt(i);
                batch.Add(candidate);
                keys.UnionWith(candidate.Keys);
                bytes += size;
                continue;
            }

            i++;
        }

        return batch;
    }

    private async Task SendAsync(List<Pending> batch)
    {
        if (batch.Count == 1)
        {
            await SendAloneAsync(batch[0]);
            return;
        }

        var outer = new TxnRequest();
        foreach (var member in batch)
        {
            outer.Success.Add(new RequestOp { RequestTxn = member.Request });
        }

        try
        {
            // One member giving up must not cancel the others' writes.
            var answer = await send(outer, CancellationToken.None);
            for (var i = 0; i < batch.Count; i++)
            {
                var member = answer.Responses[i].ResponseTxn;
                batch[i].Done.TrySetResult(Result(member.Succeeded, member.Responses, answer.Header.Revision));
            }
        }
        catch (StoreUnavailableException e) when (e.InnerException is RpcException { StatusCode: StatusCode.InvalidArgument })
        {
            // etcd refused the call as a whole, before applying any of it: a member it refuses on its own, or limits
            // set lower than etcd's defaults (--max-txn-ops, --max-request-bytes). Each member goes alone.
            await Task.WhenAll(batch.Select(SendAloneAsync));
        }
        catch (Exception e)
        {
            foreach (var member in batch)
            {
                member.Done.TrySetException(e);
            }
        }
    }

    private async Task SendAloneAsync(Pending member)
    {
        try
        {
            var response = await send(member.Request, member.Cancellation);
            member.Done.TrySetResult(Result(response.Succeeded, response.Responses, response.Header.Revision));
        }
        catch (Exception e)
        {
            member.Done.TrySetException(e);
        }
    }

    /// <summary>A member's outcome; it changed something if it put a key or deleted one that was there. Its responses
    /// are its writes' in order, so a delete that found nothing is named by its position among them.</summary>
    private static TxnResult Result(bool succeeded, Google.Protobuf.Collections.RepeatedField<ResponseOp> responses, long revision)
    {
        var changed = false;
        HashSet<int>? deletedNothing = null;
        for (var i = 0; succeeded && i < responses.Count; i++)
        {
            var response = responses[i];
            if (response.ResponseCase == ResponseOp.ResponseOneofCase.ResponseDeleteRange && response.ResponseDeleteRange.Deleted == 0)
            {
                (deletedNothing ??= []).Add(i);
                continue;
            }

            changed |= response.ResponseCase is ResponseOp.ResponseOneofCase.ResponsePut or ResponseOp.ResponseOneofCase.ResponseDeleteRange;
        }

        return new(succeeded, revision, changed) { DeletedNothing = succeeded ? deletedNothing ?? NoneDeletedNothing : null };
    }

    private sealed record Pending(TxnRequest Request, IReadOnlyCollection<string> Keys, bool Alone, CancellationToken Cancellation)
    {
        public TaskCompletionSource<TxnResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}