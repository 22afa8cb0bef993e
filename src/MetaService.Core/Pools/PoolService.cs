using System.Text.Json;

using MetaService.Core.Storage;

namespace MetaService.Core.Pools;

/// <summary>
/// Pod pools (§3.9), stored as the key the platform watches, <c>/yr/podpools/info/&lt;id&gt;</c>. Each pool
/// create is its own transaction; update and delete commit with a compare on every pool key they read, so
/// two racing updates cannot both apply to the status they saw.
/// </summary>
public sealed class PoolService(IMetaStore store)
{
    /// <summary>How often a write re-reads and retries after another writer changed a pool it read.</summary>
    private const int MaxAttempts = 32;

    /// <summary>The same service on a <see cref="DryRunStore"/>: every check runs, nothing is written.</summary>
    public PoolService AsDryRun() => new(new DryRunStore(store));

    /// <summary>Creates every valid pool whose id is free; the pools that fail are reported together while
    /// the others stay created, as in the original.</summary>
    public async Task<Outcome<bool>> CreateAsync(IReadOnlyList<Pool>? pools, CancellationToken cancellationToken) =>
        await CreateAsync(pools, null, cancellationToken);

    /// <summary>As above; with a <paramref name="rider"/>, valid pools whose ids are free are created in one transaction
    /// with the rider's writes. When that transaction loses (an id taken meanwhile), the pools are created one by one as
    /// without a rider, and the rider's writes are left out (the answer is then a refusal).</summary>
    public async Task<Outcome<bool>> CreateAsync(IReadOnlyList<Pool>? pools, TxnRider<bool>? rider, CancellationToken cancellationToken)
    {
        if (pools is null || pools.Count == 0)
        {
            return MetaError.InvalidParam("failed to create pod pool, err: input pod pool list is empty");
        }

        if (rider is not null && pools.Select(PoolRules.Normalise).ToList() is var all && all.All(p => !PoolRules.Problems(p).Any())
            && all.Select(p => p.Id).Distinct(StringComparer.Ordinal).Count() == all.Count)
        {
            var keys = all.Select(p => PlatformKeys.Pool(p.Id)).ToList();
            var compares = keys.Select(Compare.Absent).Concat(rider.Compares).ToList();
            var writes = all.Select((p, i) => (WriteOp)new WriteOp.Put(keys[i], Encode(p))).Concat(rider.Writes(true)).ToList();
            if ((await store.TxnAsync(compares, writes, cancellationToken)).Succeeded)
            {
                return true;
            }

            if (!await rider.HoldsAsync(store, cancellationToken))
            {
                return TxnRiders.Taken();
            }
        }

        var failures = new List<string>();
        var invalid = false;
        foreach (var requested in pools)
        {
            var pool = PoolRules.Normalise(requested);
            var problems = PoolRules.Problems(pool).ToList();
            if (problems.Count > 0)
            {
                invalid = true;
                failures.AddRange(problems);
                continue;
            }

            var key = PlatformKeys.Pool(pool.Id);
            if (!(await store.TxnAsync([Compare.Absent(key)], [new WriteOp.Put(key, Encode(pool))], cancellationToken)).Succeeded)
            {
                failures.Add($"failed to create pod pool, id: {pool.Id}, err: pool id already exists or is deleting");
            }
        }

        return failures.Count == 0 ? true : MetaError.PoolsNotCreated(failures, invalid);
    }

    /// <summary>The pools matching the filters, in id order, one page of them.</summary>
    public async Task<PoolPage> ListAsync(PoolQuery query, CancellationToken cancellationToken)
    {
        if (query.Limit <= 0 || query.Offset < 0)
        {
            return new PoolPage(0, null);
        }

        var (matches, revision) = await MatchesAtAsync(query.Id, query.Group, cancellationToken);
        var skip = (long)(Math.Max(query.Offset, 1) - 1) * query.Limit;
        var page = matches.Skip((int)Math.Min(skip, int.MaxValue)).Take(query.Limit).Select(m => m.Pool).ToList();
        return new PoolPage(matches.Count, page) { Revision = revision };
    }

    public async Task<Outcome<bool>> UpdateAsync(string id, PoolUpdateRequest request, CancellationToken cancellationToken)
    {
        var key = PlatformKeys.Pool(id);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var kv = await store.GetAsync(key, cancellationToken);
            var updated = PoolRules.ApplyUpdate(kv is null ? null : Decode(kv), request);
            if (!updated.TryGet(out var pool, out var error))
            {
                return error;
            }

            // A lost compare means the platform or another update changed the pool since it was read:
            // read it again, so the status gate sees the new status.
            if ((await store.TxnAsync([new Compare(key, kv!.ModRevision)], [new WriteOp.Put(key, Encode(pool))], cancellationToken)).Succeeded)
            {
                return true;
            }
        }

        throw new InvalidOperationException($"updating pod pool {id} lost {MaxAttempts} races in a row");
    }

    /// <summary>Soft-deletes every pool matching the id and group: status 6, which the platform acts on.</summary>
    public async Task<Outcome<bool>> DeleteAsync(string? id, string? group, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(id) && string.IsNullOrEmpty(group))
        {
            return MetaError.InvalidParam("id and group cannot be empty at the same time");
        }

        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var matches = await MatchesAsync(id, group, cancellationToken);
            if (matches.Count == 0)
            {
                return MetaError.PoolNotFound();
            }

            var compares = matches.Select(m => new Compare(m.Kv.Key, m.Kv.ModRevision)).ToList();
            var writes = matches.Select(m => (WriteOp)new WriteOp.Put(m.Kv.Key, Encode(m.Pool with { Status = PoolStatus.Deleted }))).ToList();
            if ((await store.TxnAsync(compares, writes, cancellationToken)).Succeeded)
            {
                return true;
            }
        }

        throw new InvalidOperationException($"deleting pod pools lost {MaxAttempts} races in a row");
    }

    private async Task<List<(KeyValue Kv, Pool Pool)>> MatchesAsync(string? id, string? group, CancellationToken cancellationToken) =>
        (await MatchesAtAsync(id, group, cancellationToken)).Matches;

    /// <summary>The pools matching the filters, and the store revision they were read at.</summary>
    private async Task<(List<(KeyValue Kv, Pool Pool)> Matches, long Revision)> MatchesAtAsync(string? id, string? group, CancellationToken cancellationToken)
    {
        var range = await store.RangeAsync(PlatformKeys.PoolRoot, cancellationToken: cancellationToken);
        return ([.. range.Items
            .Select(kv => (kv, Decode(kv)))
            .Where(m => (string.IsNullOrEmpty(id) || m.Item2.Id == id) && (string.IsNullOrEmpty(group) || m.Item2.Group == group))], range.Revision);
    }

    private static Pool Decode(KeyValue kv) =>
        JsonSerializer.Deserialize(kv.Value, PoolJson.Default.Pool) ?? throw new InvalidDataException($"the pool at {kv.Key} is empty");

    private static byte[] Encode(Pool pool) => JsonSerializer.SerializeToUtf8Bytes(pool, PoolJson.Default.Pool);
}