using System.Text.Json;
using System.Text.Json.Serialization;

using MetaService.Core;
using MetaService.Core.Aliases;
using MetaService.Core.Catalog;
using MetaService.Core.Functions;
using MetaService.Core.Pools;
using MetaService.Core.ReservedInstances;
using MetaService.Core.Storage;
using MetaService.Server.Aliases;
using MetaService.Server.Auth;
using MetaService.Server.Wire;

namespace MetaService.Server.Watch;

/// <summary>
/// What can be watched: each kind's store prefix (the hub's one store watch), how a key names its tenant and name, and
/// how a change is rendered: for a put, the object a get of it answers; for a delete, the parts of its key.
/// </summary>
internal abstract class WatchKind(string name, string root)
{
    public const string Functions = "functions";
    public const string ReserveInstance = "reserve-instance";
    public const string PodPools = "podpools";
    public const string Aliases = "aliases";

    public string Name { get; } = name;

    /// <summary>The prefix of every key of this kind.</summary>
    public string Root { get; } = root;

    /// <summary>Whether a watcher sees only its tenant's changes (pools belong to no tenant: admins watch them).</summary>
    public virtual bool Scoped => true;

    /// <summary>What a watcher acting for <paramref name="tenant"/> sees: the changes whose <see cref="WatchChange.Scope"/>
    /// is this. The tenant and product (<c>tenant/product</c>), as the keys of functions and aliases hold them, so a watch
    /// sees exactly what a list with the same headers lists.</summary>
    public virtual string ScopeOf(Tenant tenant) => Scope(tenant.TenantId, tenant.ProductId);

    /// <summary>The scope of a change whose key names <paramref name="tenant"/> and <paramref name="product"/>.</summary>
    protected static string Scope(string tenant, string product) => $"{tenant}/{product}";

    /// <summary>The prefix a replay from the store watches for <paramref name="filter"/>.</summary>
    public virtual string ReplayPrefix(WatchFilter filter) => Root;

    /// <summary>The revision a list of this kind answers now (its <c>X-Meta-Revision</c>), where the hub's ring begins: a
    /// list answered from a cache carries the last change the cache applied, which writes elsewhere in the store (other
    /// servers' prefixes, the platform's keys) leave behind, and which the store may compact away while this kind is
    /// quiet. A ring begun there still serves a watch from it.</summary>
    public virtual async Task<long> ListedRevisionAsync(IMetaStore store, CancellationToken cancellationToken) =>
        (await store.RangeKeysAsync(Root, 1, null, cancellationToken)).Revision;

    /// <summary>The change, to be rendered when a watcher first asks for it; null when the key is not one of this kind's
    /// things.</summary>
    public abstract WatchChange? Render(WatchEvent change);

    /// <summary>A change named by its key, whose data <paramref name="data"/> renders when first asked for (from the
    /// stored value, which the change holds until then: the ring counts its length).</summary>
    protected static WatchChange Change(WatchEvent change, string scope, string name, Func<byte[]> data, Func<byte[]>? masked = null) =>
        new(change.Kv.ModRevision, change.Kv.Key, scope, name, change.Type == WatchEventType.Delete, change.Kv.Key.Length + change.Kv.Value.Length, data, masked);

    protected static byte[] Json<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) => JsonSerializer.SerializeToUtf8Bytes(value, type);
}

/// <summary>Function versions: <c>/repo/FunctionVersion/yrk/{tenant}/{product}/{name}/{version}/</c>; a put carries the
/// <c>function</c> object a get answers (secrets masked for viewers), a delete <c>{"name","version"}</c>.</summary>
internal sealed class FunctionWatch(MetaOptions options, FunctionCatalog catalog) : WatchKind(Functions, PlatformKeys.RecordRoot)
{
    private static readonly string TenantsRoot = $"{PlatformKeys.RecordRoot}{Tenant.Business}/";

    public override string ReplayPrefix(WatchFilter filter) => $"{TenantsRoot}{filter.Scope}/";

    /// <summary>Function lists are answered from the catalog, at the revision it has applied.</summary>
    public override async Task<long> ListedRevisionAsync(IMetaStore store, CancellationToken cancellationToken) =>
        (await catalog.ChangedAfterAsync(null, cancellationToken)).Applied;

    public override WatchChange? Render(WatchEvent change)
    {
        var key = change.Kv.Key;
        if (!key.StartsWith(TenantsRoot, StringComparison.Ordinal))
        {
            return null;
        }

        // {tenant}/{product}/{name}/{version}/
        var parts = key[TenantsRoot.Length..].Split('/');
        if (parts.Length != 5 || parts[4].Length != 0)
        {
            return null;
        }

        var (scope, name, version) = (Scope(parts[0], parts[1]), parts[2], parts[3]);
        if (change.Type == WatchEventType.Delete)
        {
            return Change(change, scope, name, () => Json(new DeletedVersion(name, version), WatchJson.Default.DeletedVersion));
        }

        // Decoded once, for either rendering; a record that cannot be read stays so (the failure is kept).
        var view = new Lazy<FunctionView>(() => FunctionView.From(FunctionEntry.Decode(key, change.Kv.Value), options));
        return Change(change, scope, name, () => Json(view.Value, WireJson.Relaxed.FunctionView), () => Json(SecretMask.Apply(view.Value), WireJson.Relaxed.FunctionView));
    }
}

/// <summary>Reserve-instance labels: <c>/instances/business/yrk/cluster/{c}/tenant/{t}/function/{name}/version/{v}/label/{l}</c>;
/// a put carries <c>{"funcName","version","instanceLabel","instanceConfigInfos":[{clusterId,maxInstance,minInstance}]}</c>
/// (a row of what a get answers, for one cluster), a delete the same without the counts. The key names the tenant
/// alone (the original's layout), so a watcher sees its tenant's labels whatever its product.</summary>
internal sealed class ReserveWatch() : WatchKind(ReserveInstance, $"/instances/business/{Tenant.Business}/cluster/")
{
    public override string ScopeOf(Tenant tenant) => tenant.TenantId;

    public override WatchChange? Render(WatchEvent change)
    {
        var key = change.Kv.Key;
        // {cluster}/tenant/{t}/function/{name}/version/{v}/label/{l}
        var parts = key[Root.Length..].Split('/');
        if (parts.Length != 9 || parts[1] != "tenant" || parts[3] != "function" || parts[5] != "version" || parts[7] != "label")
        {
            return null;
        }

        var (cluster, tenant, name, version, label) = (parts[0], parts[2], parts[4], parts[6], parts[8]);
        return Change(change, tenant, name, () =>
        {
            var config = new InstanceConfig { ClusterId = cluster };
            if (change.Type == WatchEventType.Put)
            {
                var meta = JsonSerializer.Deserialize(change.Kv.Value, MetaJson.Default.InstanceKeyValue)?.InstanceMetaData;
                config = config with { MaxInstance = meta?.MaxInstance ?? 0, MinInstance = meta?.MinInstance ?? 0 };
            }

            return Json(new LabelChange(name, version, label, [config]), WatchJson.Default.LabelChange);
        });
    }
}

/// <summary>Pod pools: <c>/yr/podpools/info/{id}</c>; a put carries the pool as a list answers it, a delete <c>{"id"}</c>.</summary>
internal sealed class PoolWatch() : WatchKind(PodPools, PlatformKeys.PoolRoot)
{
    public override bool Scoped => false;

    public override WatchChange? Render(WatchEvent change)
    {
        var id = change.Kv.Key[Root.Length..];
        if (id.Length == 0 || id.Contains('/'))
        {
            return null;
        }

        return Change(change, "", id, () => change.Type == WatchEventType.Delete
            ? Json(new DeletedPool(id), WatchJson.Default.DeletedPool)
            : Json(JsonSerializer.Deserialize(change.Kv.Value, PoolJson.Default.Pool) ?? throw new InvalidDataException($"the pool at {change.Kv.Key} is empty"), PoolJson.Default.Pool));
    }
}

/// <summary>Aliases: <c>/repo/Alias/yrk/{tenant}/{product}/{function}/{alias}/</c>; a put carries the alias as a get of it
/// answers (the <c>result</c>), a delete <c>{"functionName","name"}</c>. A watcher's <c>name</c> is the function's.</summary>
internal sealed class AliasWatch(AliasService aliases) : WatchKind(Aliases, $"/repo/Alias/{Tenant.Business}/")
{
    public override string ReplayPrefix(WatchFilter filter) => $"{Root}{filter.Scope}/";

    public override WatchChange? Render(WatchEvent change)
    {
        var key = change.Kv.Key;
        // {tenant}/{product}/{function}/{alias}/
        var parts = key[Root.Length..].Split('/');
        if (parts.Length != 5 || parts[4].Length != 0)
        {
            return null;
        }

        var (tenant, product, name, alias) = (parts[0], parts[1], parts[2], parts[3]);
        if (change.Type == WatchEventType.Delete)
        {
            return Change(change, Scope(tenant, product), name, () => Json(new DeletedAlias(name, alias), WatchJson.Default.DeletedAlias));
        }

        return Change(change, Scope(tenant, product), name, () =>
        {
            var record = AliasRecord.Decode(change.Kv.Value) ?? throw new InvalidDataException($"the alias at {key} is not an alias record");
            return Json(aliases.View(new Tenant(tenant, product), record), AliasWireJson.Default.AliasView);
        });
    }
}

internal sealed record DeletedVersion(string Name, string Version);

internal sealed record DeletedAlias(string FunctionName, string Name);

internal sealed record LabelChange(string FuncName, string Version, string InstanceLabel, IReadOnlyList<InstanceConfig> InstanceConfigInfos);

internal sealed record DeletedPool(string Id);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(DeletedVersion))]
[JsonSerializable(typeof(LabelChange))]
[JsonSerializable(typeof(DeletedPool))]
[JsonSerializable(typeof(DeletedAlias))]
[JsonSerializable(typeof(ErrorBody))]
internal sealed partial class WatchJson : JsonSerializerContext;