using System.Text;
using System.Text.Json;

using MetaService.Core.Catalog;
using MetaService.Core.History;
using MetaService.Core.Publishing;
using MetaService.Core.Storage;

namespace MetaService.Core.ReservedInstances;

/// <summary>
/// Reserved-instance configuration (§3.8): per faas function version, labels whose instance counts the
/// platform keeps per cluster, at <c>/instances/…/version/&lt;v&gt;/label/&lt;label&gt;</c>. Every write is
/// one store transaction guarded by compares on the function version and the label keys it read.
/// </summary>
public sealed class ReservedInstanceService(IMetaStore store, MetaOptions options, HistoryLog? history = null)
{
    /// <summary>How often a write re-reads and retries after another writer changed what it read.</summary>
    private const int MaxAttempts = 32;

    /// <summary>The same service on a <see cref="DryRunStore"/>: every check runs, nothing is written.</summary>
    public ReservedInstanceService AsDryRun() => new(new DryRunStore(store), options, history);

    public Task<Outcome<ReserveResult>> CreateAsync(Tenant tenant, ReserveRequest request, CancellationToken cancellationToken) =>
        WriteAsync(tenant, request, ReserveAction.Create, null, cancellationToken);

    /// <summary>Creates a label; <paramref name="rider"/>'s compares and writes join the transaction that writes it.</summary>
    public Task<Outcome<ReserveResult>> CreateAsync(Tenant tenant, ReserveRequest request, TxnRider<ReserveResult>? rider, CancellationToken cancellationToken) =>
        WriteAsync(tenant, request, ReserveAction.Create, rider, cancellationToken);

    public Task<Outcome<ReserveResult>> UpdateAsync(Tenant tenant, ReserveRequest request, CancellationToken cancellationToken) =>
        WriteAsync(tenant, request, ReserveAction.Update, null, cancellationToken);

    /// <summary>Every label of the function version, grouped across clusters, most recently written first.</summary>
    public async Task<Outcome<IReadOnlyList<LabelConfigs>>> GetAsync(Tenant tenant, ReserveRequest request, CancellationToken cancellationToken) =>
        (await GetAtAsync(tenant, request, cancellationToken)).TryGet(out var found, out var error) ? new Outcome<IReadOnlyList<LabelConfigs>>(found.Labels, null) : error;

    /// <summary>Like <see cref="GetAsync"/>, with the store revision the labels were read at (with several clusters, the
    /// earliest of their reads: a watch from it may repeat a change, never miss one).</summary>
    public async Task<Outcome<LabelsAt>> GetAtAsync(Tenant tenant, ReserveRequest request, CancellationToken cancellationToken)
    {
        var checkedRequest = ReservedInstanceRules.Check(request, ReserveAction.Get, options);
        if (!checkedRequest.TryGet(out var target, out var error))
        {
            return error;
        }

        if (await FindFunctionAsync(tenant, target, cancellationToken) is null)
        {
            return MetaError.FunctionNotFound(target.FuncName);
        }

        var (labels, revision) = await ReadLabelsAtAsync(tenant, target, cancellationToken);
        return new LabelsAt([.. labels
            .OrderByDescending(l => l.Kv.ModRevision)
            .GroupBy(l => l.Label, StringComparer.Ordinal)
            .Select(g => new LabelConfigs(g.Key, [.. g.Select(l => l.Config)]))], revision);
    }

    /// <summary>Deletes one label in every cluster, or every label of the version when none is named.</summary>
    public async Task<Outcome<bool>> DeleteAsync(Tenant tenant, ReserveRequest request, CancellationToken cancellationToken)
    {
        var checkedRequest = ReservedInstanceRules.Check(request, ReserveAction.Delete, options);
        if (!checkedRequest.TryGet(out var target, out var error))
        {
            return error;
        }

        var writes = options.AllClusters()
            .Select(c => target.Label.Length == 0
                ? (WriteOp)new WriteOp.DeletePrefix(PlatformKeys.InstanceLabels(c, tenant, target.FuncName, target.Version))
                : new WriteOp.Delete(LabelKey(c, tenant, target)))
            .ToList();
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var function = await FindFunctionAsync(tenant, target, cancellationToken);
            if (function is null)
            {
                return MetaError.FunctionNotFound(target.FuncName);
            }

            var record = FunctionEntry.Decode(function.Key, function.Value);
            var entry = await history.WritesOrNoneAsync(store, tenant, new HistoryWrite(HistoryOperations.ReserveDelete, target.FuncName, target.Version, record, record, ReserveChanges.Deleted(target.Label)), cancellationToken);
            if ((await store.TxnAsync([new Compare(function.Key, function.ModRevision)], [.. writes, .. entry], cancellationToken)).Succeeded)
            {
                return true;
            }
        }

        throw new InvalidOperationException($"deleting reserved instances of {target.FuncName} lost {MaxAttempts} races in a row");
    }

    private async Task<Outcome<ReserveResult>> WriteAsync(Tenant tenant, ReserveRequest request, ReserveAction action, TxnRider<ReserveResult>? rider, CancellationToken cancellationToken)
    {
        var checkedRequest = ReservedInstanceRules.Check(request, action, options);
        if (!checkedRequest.TryGet(out var target, out var error))
        {
            return error;
        }

        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var function = await FindFunctionAsync(tenant, target, cancellationToken);
            if (function is null)
            {
                return MetaError.FunctionNotFound(target.FuncName);
            }

            var guardKey = PlatformKeys.ReserveLabelGuard(tenant, target.FuncName, target.Version);
            var guard = await store.GetAsync(guardKey, cancellationToken);
            var labels = await ReadLabelsAsync(tenant, target, cancellationToken);
            var mine = labels.Where(l => l.Label == target.Label).ToDictionary(l => l.Cluster, StringComparer.Ordinal);
            if (Refusal(target, action, labels, mine) is { } refusal)
            {
                return refusal;
            }

            // The compares cover the function version and this label in every cluster, so the answer
            // (this label everywhere after the write) is the state the transaction committed on.
            var compares = options.AllClusters()
                .Select(c => mine.TryGetValue(c, out var l) ? new Compare(l.Kv.Key, l.Kv.ModRevision) : Compare.Absent(LabelKey(c, tenant, target)))
                .Prepend(new Compare(function.Key, function.ModRevision))
                .ToList();
            var writes = target.Configs.Select(c => (WriteOp)new WriteOp.Put(LabelKey(c.ClusterId!, tenant, target), Encode(c))).ToList();
            if (mine.Count == 0)
            {
                // A new label: the count it was checked against holds only if no other new label commits first.
                compares.Add(new Compare(guardKey, guard?.ModRevision ?? 0));
                writes.Add(new WriteOp.Put(guardKey, Encoding.UTF8.GetBytes(target.Label)));
            }

            var after = options.AllClusters()
                .Select(c => target.Configs.FirstOrDefault(w => w.ClusterId == c) ?? mine.GetValueOrDefault(c)?.Config)
                .OfType<InstanceConfig>()
                .ToList();
            var result = new ReserveResult(new ReserveInsBaseInfo(target.FuncName, target.Version, target.Label), after);
            var record = FunctionEntry.Decode(function.Key, function.Value);
            var operation = action == ReserveAction.Create ? HistoryOperations.ReserveCreate : HistoryOperations.ReserveUpdate;
            var changes = ReserveChanges.Written(target.Label, mine.ToDictionary(m => m.Key, m => m.Value.Config), target.Configs);
            var entry = await history.WritesOrNoneAsync(store, tenant, new HistoryWrite(operation, target.FuncName, target.Version, record, record, changes), cancellationToken);
            if ((await store.TxnAsync([.. compares, .. rider.ComparesOrNone()], [.. writes, .. entry, .. rider.WritesOrNone(result)], cancellationToken)).Succeeded)
            {
                return result;
            }

            if (rider is not null && !await rider.HoldsAsync(store, cancellationToken))
            {
                return TxnRiders.Taken();
            }
        }

        throw new InvalidOperationException($"writing reserved instances of {target.FuncName} lost {MaxAttempts} races in a row");
    }

    /// <summary>Update needs the label in every cluster it names; create may add a label only below the limit,
    /// counted over every label of the version in every cluster.</summary>
    private MetaError? Refusal(ReserveTarget target, ReserveAction action, List<StoredLabel> labels, Dictionary<string, StoredLabel> mine)
    {
        if (action == ReserveAction.Update)
        {
            return target.Configs.All(c => mine.ContainsKey(c.ClusterId!)) ? null : MetaError.ReserveConfigNotFound();
        }

        var count = labels.Select(l => l.Label).Distinct(StringComparer.Ordinal).Count();
        return target.Configs.Count > 0 && mine.Count == 0 && count >= options.InstanceLabelMax ? MetaError.LabelLimit(options.InstanceLabelMax) : null;
    }

    /// <summary>The function version's record when it exists and is a faas function (the original looks it
    /// up with kind faas; only faas versions have <c>/instances</c> keys).</summary>
    private async Task<KeyValue?> FindFunctionAsync(Tenant tenant, ReserveTarget target, CancellationToken cancellationToken)
    {
        var kv = await store.GetAsync(PlatformKeys.Record(tenant, target.FuncName, target.Version), cancellationToken);
        return kv is not null && FunctionEntry.Decode(kv.Key, kv.Value).Kind == FunctionKinds.Faas ? kv : null;
    }

    private async Task<List<StoredLabel>> ReadLabelsAsync(Tenant tenant, ReserveTarget target, CancellationToken cancellationToken) =>
        (await ReadLabelsAtAsync(tenant, target, cancellationToken)).Labels;

    private async Task<(List<StoredLabel> Labels, long Revision)> ReadLabelsAtAsync(Tenant tenant, ReserveTarget target, CancellationToken cancellationToken)
    {
        var labels = new List<StoredLabel>();
        var revision = long.MaxValue;
        foreach (var cluster in options.AllClusters())
        {
            var prefix = PlatformKeys.InstanceLabels(cluster, tenant, target.FuncName, target.Version);
            var range = await store.RangeAsync(prefix, cancellationToken: cancellationToken);
            revision = Math.Min(revision, range.Revision);
            foreach (var kv in range.Items.Where(kv => !kv.Key.AsSpan(prefix.Length).Contains('/')))
            {
                var meta = (JsonSerializer.Deserialize(kv.Value, MetaJson.Default.InstanceKeyValue)
                    ?? throw new InvalidDataException($"the value at {kv.Key} is empty")).InstanceMetaData;
                var config = new InstanceConfig { ClusterId = cluster, MaxInstance = meta.MaxInstance, MinInstance = meta.MinInstance };
                labels.Add(new StoredLabel(cluster, kv.Key[prefix.Length..], kv, config));
            }
        }

        return (labels, revision == long.MaxValue ? 0 : revision);
    }

    private static string LabelKey(string cluster, Tenant tenant, ReserveTarget target) =>
        PlatformKeys.InstanceLabel(cluster, tenant, target.FuncName, target.Version, target.Label);

    /// <summary>The value the platform reads: the full <c>instanceMetaData</c> with only the counts set, as the original writes it.</summary>
    private static byte[] Encode(InstanceConfig config) => JsonSerializer.SerializeToUtf8Bytes(
        new InstanceKeyValue(new InstanceMetaData { MaxInstance = config.MaxInstance, MinInstance = config.MinInstance }),
        MetaJson.Default.InstanceKeyValue);

    private sealed record StoredLabel(string Cluster, string Label, KeyValue Kv, InstanceConfig Config);
}