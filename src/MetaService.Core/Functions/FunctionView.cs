using System.Text.Json.Serialization;

using MetaService.Core.Records;

namespace MetaService.Core.Functions;

/// <summary>
/// A function version as every response shows it: the members of openYuanrong's FunctionForUser,
/// FunctionVersion and GetFunctionResponse, always filled from the stored record, plus the stored
/// fields of the update page that the original does not return (extended handlers and timeouts,
/// pool, affinity, agent session, the S3 location without its token).
/// </summary>
public sealed record FunctionView
{
    public required string Id { get; init; }

    public required string CreateTime { get; init; }

    public required string UpdateTime { get; init; }

    public required string FunctionUrn { get; init; }

    public required string Name { get; init; }

    public required string TenantId { get; init; }

    public required string BusinessId { get; init; }

    public required string ProductId { get; init; }

    public int ReversedConcurrency { get; init; }

    public required string Description { get; init; }

    public Dictionary<string, string>? Tag { get; init; }

    public required string FunctionVersionUrn { get; init; }

    public required string RevisionId { get; init; }

    public required string StorageType { get; init; }

    public long CodeSize { get; init; }

    public required string CodeSha256 { get; init; }

    public required string CodePath { get; init; }

    public required string BucketId { get; init; }

    public required string ObjectId { get; init; }

    public required string Handler { get; init; }

    public List<string>? Layers { get; init; }

    public long Cpu { get; init; }

    public long Memory { get; init; }

    public required string Runtime { get; init; }

    public long Timeout { get; init; }

    public required string VersionNumber { get; init; }

    public required string VersionDesc { get; init; }

    public required Dictionary<string, string> Environment { get; init; }

    public Dictionary<string, double>? CustomResources { get; init; }

    public int StatefulFlag { get; init; }

    public required string LastModified { get; init; }

    [JsonPropertyName("Published")]
    public required string Published { get; init; }

    public int MinInstance { get; init; }

    public int MaxInstance { get; init; }

    public int ConcurrentNum { get; init; }

    public bool EnableMetrics { get; init; }

    public List<FunctionLayer> FuncLayer { get; init; } = [];

    public required string Status { get; init; }

    public long InstanceNum { get; init; }

    public required FunctionDevice Device { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Kind { get; init; }

    public required Rootfs Rootfs { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PriorityAz { get; init; }

    public required string SandboxType { get; init; }

    public required string Created { get; init; }

    public Dictionary<string, string>? ExtendedHandler { get; init; }

    public Dictionary<string, long>? ExtendedTimeout { get; init; }

    public required Dictionary<string, string> HookHandler { get; init; }

    public required string PoolId { get; init; }

    public List<AffinitySelector>? ResourceAffinitySelectors { get; init; }

    public bool EnableAgentSession { get; init; }

    public required S3CodePath S3CodePath { get; init; }

    public static FunctionView From(FunctionRecord record, MetaOptions options)
    {
        var tenant = new Tenant(record.TenantId, record.ProductId);
        var versionUrn = Urns.Version(options, tenant, record.Name, record.Version);
        return new FunctionView
        {
            Id = versionUrn,
            CreateTime = record.CreateTime,
            UpdateTime = record.UpdateTime,
            FunctionUrn = Urns.Function(options, tenant, record.Name),
            Name = record.Name,
            TenantId = record.TenantId,
            BusinessId = Tenant.Business,
            ProductId = record.ProductId,
            Description = record.Description,
            Tag = record.Tags,
            FunctionVersionUrn = versionUrn,
            RevisionId = record.RevisionId,
            StorageType = record.StorageType,
            CodeSha256 = record.S3CodePath.Sha512 ?? "",
            CodePath = record.CodePath,
            BucketId = record.S3CodePath.BucketId ?? "",
            ObjectId = record.S3CodePath.ObjectId ?? "",
            Handler = record.Handler,
            Layers = record.Layers is { Count: > 0 } layers ? [.. layers.Select(l => Urns.Layer(options, tenant, l))] : null,
            FuncLayer = record.Layers is { Count: > 0 } refs ? [.. refs.Select(l => new FunctionLayer(l.Name, l.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), l.Order))] : [],
            Cpu = record.Cpu,
            Memory = record.Memory,
            Runtime = record.Runtime,
            Timeout = record.Timeout,
            VersionNumber = record.Version,
            VersionDesc = record.VersionDesc,
            Environment = record.Environment,
            CustomResources = record.CustomResources,
            LastModified = record.UpdateTime.Length > 0 ? record.UpdateTime : record.PublishTime,
            Published = record.PublishTime,
            MinInstance = record.MinInstance,
            MaxInstance = record.MaxInstance,
            ConcurrentNum = record.ConcurrentNum,
            EnableMetrics = record.EnableMetrics,
            Status = record.Status.Length > 0 ? record.Status : "unavailable",
            InstanceNum = record.InstanceNum,
            Device = record.Device ?? FunctionDevice.None,
            Kind = record.Kind.Length > 0 ? record.Kind : null,
            Rootfs = record.Rootfs,
            PriorityAz = record.PriorityAz.Length > 0 ? record.PriorityAz : null,
            SandboxType = record.SandboxType,
            Created = record.PublishTime,
            ExtendedHandler = record.ExtendedHandler,
            ExtendedTimeout = record.ExtendedTimeout,
            HookHandler = record.HookHandler ?? [],
            PoolId = record.PoolId,
            ResourceAffinitySelectors = record.PoolLabel.Length == 0 ? null : [.. record.PoolLabel.Split(',').Select(g => new AffinitySelector { Group = g })],
            EnableAgentSession = record.EnableAgentSession,
            S3CodePath = record.S3CodePath with { Token = null },
        };
    }
}

public sealed record FunctionLayer(string Name, string Version, int Order);