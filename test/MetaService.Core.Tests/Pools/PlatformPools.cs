using System.Text.Json;

using MetaService.Core.Pools;
using MetaService.Core.Storage;

namespace MetaService.Core.Tests.Pools;

/// <summary>The pool keys as the platform sees them: what is stored at <c>/yr/podpools/info/&lt;id&gt;</c>, and the
/// platform's own writes there (its status and counts).</summary>
internal static class PlatformPools
{
    public static async Task<Pool?> StoredAsync(IMetaStore store, string id) =>
        await store.GetAsync(PlatformKeys.Pool(id)) is { } kv ? JsonSerializer.Deserialize(kv.Value, PoolJson.Default.Pool) : null;

    public static async Task<string?> StoredJsonAsync(IMetaStore store, string id) =>
        await store.GetAsync(PlatformKeys.Pool(id)) is { } kv ? System.Text.Encoding.UTF8.GetString(kv.Value) : null;

    /// <summary>What the platform does once it has acted on a pool: rewrite it with its status and counts.</summary>
    public static async Task SetAsync(IMetaStore store, string id, Func<Pool, Pool> change)
    {
        var pool = change((await StoredAsync(store, id))!);
        await store.TxnAsync([], [new WriteOp.Put(PlatformKeys.Pool(id), JsonSerializer.SerializeToUtf8Bytes(pool, PoolJson.Default.Pool))]);
    }

    public static Task SetStatusAsync(IMetaStore store, string id, int status) => SetAsync(store, id, p => p with { Status = status });
}