using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

using MetaService.Core.Records;

namespace MetaService.Core.History;

/// <summary>
/// One change of a function, written in the same store transaction as the change itself. The store revision of that
/// transaction is not stored: it is the mod revision of the entry's key (<see cref="Revision"/> is filled on read).
/// </summary>
/// <remarks>The members that may be empty read as empty when a stored entry leaves them out: the serializer sets every
/// init-only member it knows, a missing one to null, which their setters turn back into the empty default. (A remark, not
/// the summary: the summary is the served document's description of the entry.)</remarks>
public sealed record HistoryEntry
{
    /// <summary>The store revision of the write (the entry key's mod revision); 0 until read back, and not stored.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long Revision { get; init; }

    /// <summary>When the write was made, UTC, in the original's layout (<c>2024-05-09 02:25:49.477 UTC</c>).</summary>
    public required string Time { get; init; }

    /// <summary>One of <see cref="HistoryOperations"/>.</summary>
    public required string Operation { get; init; }

    public required string Name { get; init; }

    /// <summary>The version the write affected (<c>latest</c>/<c>$latest</c> for the draft); empty for a delete of every version.</summary>
    public string Version { get; init => field = value ?? ""; } = "";

    public string RevisionIdBefore { get; init => field = value ?? ""; } = "";

    public string RevisionIdAfter { get; init => field = value ?? ""; } = "";

    public required HistoryActor Actor { get; init; }

    public string TraceId { get; init => field = value ?? ""; } = "";

    /// <summary>The field-level changes, secrets already replaced by <see cref="RecordChanges.Changed"/>.</summary>
    public List<HistoryChange> Changes { get; init => field = value ?? []; } = [];

    /// <summary>The record after the write (null after a delete): on etcd read from its own key
    /// (<see cref="HistoryKeys.SnapshotKeyOf"/>), on the embedded store the record's own stored value, which its append log
    /// keeps while the entry exists. Stored with its secrets, so that a restore can take it back; every answer masks them (<see cref="RecordChanges.Mask"/>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public FunctionRecord? Snapshot { get; init; }
}

/// <summary>Who made a write: the tenant, the authenticated principal (<c>anonymous</c> without authentication) and the
/// remote address.</summary>
public sealed record HistoryActor(string Tenant, string Principal, string RemoteAddress)
{
    public const string Anonymous = "anonymous";

    /// <summary>A write made with no request around it (a test, a tool).</summary>
    public static HistoryActor Local(Tenant tenant) => new(tenant.TenantId, Anonymous, "");
}

/// <summary>What a write's caller tells the history about itself: principal, remote address and trace id.</summary>
public sealed record WriteContext(string Principal, string RemoteAddress, string TraceId)
{
    public static WriteContext None { get; } = new(HistoryActor.Anonymous, "", "");
}

/// <summary>One field-level change: the member's path (<c>rootfs.storageInfo.accessKey</c>), <c>add</c>, <c>remove</c> or
/// <c>replace</c>, and the value before and after (absent for the side that has none).</summary>
public sealed record HistoryChange(
    string Path,
    string Op,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonNode? From,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonNode? To);

/// <summary>The operations a history entry names.</summary>
public static class HistoryOperations
{
    public const string Create = "create";
    public const string Update = "update";
    public const string Patch = "patch";
    public const string Publish = "publish";
    public const string DeleteVersion = "delete-version";
    public const string Delete = "delete";
    public const string Restore = "restore";
    public const string ReserveCreate = "reserve-create";
    public const string ReserveUpdate = "reserve-update";
    public const string ReserveDelete = "reserve-delete";
    public const string AliasCreate = "alias-create";
    public const string AliasUpdate = "alias-update";
    public const string AliasRollback = "alias-rollback";
    public const string AliasDelete = "alias-delete";

    public static readonly string[] All = [Create, Update, Patch, Publish, DeleteVersion, Delete, Restore, ReserveCreate, ReserveUpdate, ReserveDelete, AliasCreate, AliasUpdate, AliasRollback, AliasDelete];
}