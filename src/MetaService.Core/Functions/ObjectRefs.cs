using System.Text.Json;

using MetaService.Core.Records;
using MetaService.Core.Storage;

namespace MetaService.Core.Functions;

/// <summary>
/// The original's reference counts of repository-managed code packages (<c>/repo/ObjectRefIndex/…</c>): every stored
/// version whose <c>codeUploadType</c> is <c>s3</c> and that names a bucket and an object counts once. A write that adds
/// or removes such versions changes the counts in its own transaction, under compares on the counts it read, so that
/// the original, after a switch back, knows which packages are still in use.
/// </summary>
internal static class ObjectRefs
{
    /// <summary>The compares and writes that move the counts from <paramref name="removed"/> to <paramref name="added"/>;
    /// nothing (and no read) when neither refers to a managed package, which is the common case.</summary>
    public static async Task<(List<Compare> Compares, List<WriteOp> Writes)> ChangesAsync(
        IMetaStore store, IReadOnlyCollection<FunctionRecord> removed, IReadOnlyCollection<FunctionRecord> added, CancellationToken cancellationToken)
    {
        // Every write comes here; almost none refers to a managed package, and those pay nothing more.
        if (!removed.Any(IsManaged) && !added.Any(IsManaged))
        {
            return ([], []);
        }

        var deltas = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (record, step) in removed.Select(r => (r, -1L)).Concat(added.Select(r => (r, 1L))))
        {
            if (KeyOf(record) is { } key)
            {
                deltas[key] = deltas.GetValueOrDefault(key) + step;
            }
        }

        var compares = new List<Compare>();
        var writes = new List<WriteOp>();
        foreach (var (key, delta) in deltas.Where(d => d.Value != 0))
        {
            var stored = await store.GetAsync(key, cancellationToken);
            var count = (stored is null ? 0 : Count(stored)) + delta;
            compares.Add(new Compare(key, stored?.ModRevision ?? 0));
            if (count > 0)
            {
                writes.Add(new WriteOp.Put(key, JsonSerializer.SerializeToUtf8Bytes(new OriginalObjectRef((ulong)count), OriginalJson.Default.OriginalObjectRef)));
            }
            else if (stored is not null)
            {
                writes.Add(new WriteOp.Delete(key));
            }
        }

        return (compares, writes);
    }

    private static bool IsManaged(FunctionRecord record) =>
        record.CodeUploadType == "s3" && !string.IsNullOrEmpty(record.S3CodePath.BucketId) && !string.IsNullOrEmpty(record.S3CodePath.ObjectId);

    private static string? KeyOf(FunctionRecord record) =>
        IsManaged(record) ? PlatformKeys.ObjectRef(new Tenant(record.TenantId, record.ProductId), record.S3CodePath.BucketId!, record.S3CodePath.ObjectId!) : null;

    /// <summary>The stored count; an unreadable one counts as none (it is rewritten whole).</summary>
    private static long Count(KeyValue stored)
    {
        try
        {
            return (long)(JsonSerializer.Deserialize(stored.Value, OriginalJson.Default.OriginalObjectRef)?.RefCnt ?? 0);
        }
        catch (JsonException)
        {
            return 0;
        }
    }
}