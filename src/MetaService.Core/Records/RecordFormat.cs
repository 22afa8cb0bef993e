using System.Text.Json;

using MetaService.Core.Storage;

namespace MetaService.Core.Records;

/// <summary>
/// How a function version is stored at <c>/repo/FunctionVersion/yrk/{tenant}/{product}/{name}/{version}/</c>: in
/// openYuanrong's own format (<see cref="OriginalRecord"/>), so that the original and MetaService can serve one etcd
/// side by side and either can take over from the other. Tenant, product, name and version are read from the key,
/// as the original's reader does. Records written by MetaService before it used this format (its own camelCase JSON)
/// are still read; they are rewritten in the original's format by their next write.
/// </summary>
public static class RecordFormat
{
    public static byte[] Encode(FunctionRecord record) =>
        JsonSerializer.SerializeToUtf8Bytes(ToOriginal(record), OriginalJson.Default.OriginalRecord);

    /// <summary>The record stored at <paramref name="key"/>; <see cref="UnreadableRecordException"/> when the value is
    /// not a function record in either format.</summary>
    public static FunctionRecord Decode(string key, byte[] value)
    {
        if (!TryParseKey(key, out var parts))
        {
            throw new UnreadableRecordException(key, "the key is not a function version key");
        }

        try
        {
            return IsOwnFormat(value)
                ? JsonSerializer.Deserialize(value, MetaJson.Default.FunctionRecord) ?? throw new JsonException("the value is null")
                : FromOriginal(parts, JsonSerializer.Deserialize(value, OriginalJson.Default.OriginalRecord) ?? throw new JsonException("the value is null"));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or OverflowException)
        {
            throw new UnreadableRecordException(key, e.Message);
        }
    }

    /// <summary>Tenant, product, function name and version of a record key.</summary>
    public static bool TryParseKey(string key, out RecordKey parts)
    {
        parts = default;
        var root = PlatformKeys.RecordRoot + Tenant.Business + "/";
        if (!key.StartsWith(root, StringComparison.Ordinal) || key[^1] != '/')
        {
            return false;
        }

        var segments = key[root.Length..^1].Split('/');
        if (segments.Length != 4 || segments[0].Length == 0 || segments[2].Length == 0 || segments[3].Length == 0)
        {
            return false;
        }

        parts = new RecordKey(segments[0], segments[1], segments[2], segments[3]);
        return true;
    }

    /// <summary>The status record the original writes beside every version it creates.</summary>
    public static byte[] EncodeStatus() =>
        JsonSerializer.SerializeToUtf8Bytes(new OriginalStatus("unavailable", 0), OriginalJson.Default.OriginalStatus);

    /// <summary>Records of MetaService's own earlier format start with its camelCase members; the original's start with
    /// <c>Function</c>, <c>FunctionVersion</c> or <c>FunctionLayer</c> (or have none). A value that is not JSON is
    /// neither (false): reading it is where it is reported.</summary>
    internal static bool IsOwnFormat(byte[] value)
    {
        var reader = new Utf8JsonReader(value);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject || !reader.Read() || reader.TokenType != JsonTokenType.PropertyName)
            {
                return false;
            }
        }
        catch (JsonException)
        {
            return false;
        }

        var name = reader.GetString();
        return !string.Equals(name, "Function", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(name, "FunctionVersion", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(name, "FunctionLayer", StringComparison.OrdinalIgnoreCase);
    }

    private static OriginalRecord ToOriginal(FunctionRecord r) => new()
    {
        Function = new OriginalFunction
        {
            Name = r.Name,
            ReversedConcurrency = r.ReversedConcurrency,
            Version = r.LastPublishedVersion,
            Description = r.Description,
            Tag = r.Tags,
            CreateTime = r.CreateTime,
            UpdateTime = r.UpdateTime,
        },
        FunctionVersion = new OriginalVersion
        {
            Package = new OriginalPackage
            {
                StorageType = r.StorageType,
                CodeUploadType = r.CodeUploadType,
                Signature = r.S3CodePath.Sha512 ?? "",
                Size = r.CodeSize,
                BucketID = r.S3CodePath.BucketId ?? "",
                ObjectID = r.S3CodePath.ObjectId ?? "",
                BucketUrl = r.S3CodePath.BucketUrl ?? "",
                Token = r.S3CodePath.Token ?? "",
                CodePath = r.CodePath,
            },
            RevisionID = r.RevisionId,
            Handler = r.Handler,
            CPU = r.Cpu,
            Memory = r.Memory,
            Runtime = r.Runtime,
            Timeout = r.Timeout,
            Version = r.Version,
            Environment = r.Environment.Count == 0 ? "" : JsonSerializer.Serialize(new SortedDictionary<string, string>(r.Environment, StringComparer.Ordinal), OriginalJson.Default.SortedDictionaryStringString),
            CustomResources = r.CustomResources is null ? "" : JsonSerializer.Serialize(new SortedDictionary<string, double>(r.CustomResources, StringComparer.Ordinal), OriginalJson.Default.SortedDictionaryStringDouble),
            Description = r.VersionDesc,
            StatefulFlag = r.StatefulFlag,
            PublishTime = r.PublishTime,
            MinInstance = r.MinInstance,
            MaxInstance = r.MaxInstance,
            ConcurrentNum = r.ConcurrentNum,
            Status = r.Status,
            Kind = r.Kind,
            FunctionType = r.FunctionType,
            FuncName = r.FuncName,
            Service = r.Service,
            IsBridgeFunction = r.IsBridgeFunction,
            EnableAuthInHeader = r.EnableAuthInHeader,
            InstanceNum = r.InstanceNum,
            HookHandler = r.HookHandler,
            ExtendedHandler = r.ExtendedHandler,
            ExtendedTimeout = r.ExtendedTimeout,
            CacheInstance = r.CacheInstance,
            Device = (r.Device ?? FunctionDevice.None).Normalised(),
            PoolLabel = r.PoolLabel,
            PoolID = r.PoolId,
            EnableMetrics = r.EnableMetrics,
            EnableAgentSession = r.EnableAgentSession,
            EnableSessionCtx = r.EnableSessionCtx,
            ScalePolicy = r.ScalePolicy,
            SchedulePolicy = r.SchedulePolicy,
            PriorityAZ = r.PriorityAz,
            IdleTime = r.IdleTime,
            AutoScaleConfig = new OriginalAutoScale { SLAQuota = r.AutoScaleConfig.SlaQuota, ScaleDownTime = r.AutoScaleConfig.ScaleDownTime, BurstScaleNum = r.AutoScaleConfig.BurstScaleNum },
            WarmupType = r.Warmup,
            RootfsSpecMeta = r.Rootfs,
            CustomContainerConfig = r.CustomContainerConfig is { } c
                ? new OriginalContainer { ControlPath = c.ControlPath, Image = c.Image, Command = c.Command, Args = c.Args, WorkingDir = c.WorkingDir, Uid = c.Uid, Gid = c.Gid }
                : new OriginalContainer(),
            CustomHealthCheck = r.CustomHealthCheck is { } h
                ? new OriginalHealthCheck { TimeoutSeconds = h.TimeoutSeconds, PeriodSeconds = h.PeriodSeconds, FailureThreshold = h.FailureThreshold }
                : new OriginalHealthCheck(),
            IsFuncPublic = r.IsFuncPublic,
            SandboxType = r.SandboxType,
        },
        FunctionLayer = r.Layers?.Select(l => new OriginalLayer { Name = l.Name, Version = l.Version, Order = l.Order }).ToList(),
    };

    private static FunctionRecord FromOriginal(RecordKey key, OriginalRecord stored)
    {
        var f = stored.Function ?? new OriginalFunction();
        var v = stored.FunctionVersion ?? new OriginalVersion();
        var package = v.Package ?? new OriginalPackage();
        var rootfs = v.RootfsSpecMeta ?? Rootfs.Empty;
        var scale = v.AutoScaleConfig ?? new OriginalAutoScale();
        return new FunctionRecord
        {
            TenantId = key.TenantId,
            ProductId = key.ProductId,
            Name = key.Name,
            Version = key.Version,
            Kind = v.Kind ?? "",
            Runtime = v.Runtime ?? "",
            Handler = v.Handler ?? "",
            Description = f.Description ?? "",
            VersionDesc = v.Description ?? "",
            RevisionId = v.RevisionID ?? "",
            Cpu = v.CPU,
            Memory = v.Memory,
            Timeout = v.Timeout,
            MinInstance = checked((int)v.MinInstance),
            MaxInstance = checked((int)v.MaxInstance),
            ConcurrentNum = v.ConcurrentNum,
            Environment = string.IsNullOrEmpty(v.Environment) ? [] : JsonSerializer.Deserialize(v.Environment, MetaJson.Default.DictionaryStringString) ?? [],
            CustomResources = string.IsNullOrEmpty(v.CustomResources) ? null : JsonSerializer.Deserialize(v.CustomResources, MetaJson.Default.DictionaryStringDouble),
            ExtendedHandler = v.ExtendedHandler,
            ExtendedTimeout = v.ExtendedTimeout,
            HookHandler = v.HookHandler,
            Tags = f.Tag,
            StorageType = package.StorageType ?? "",
            CodePath = package.CodePath ?? "",
            CodeUploadType = package.CodeUploadType ?? "",
            CodeSize = package.Size,
            S3CodePath = new S3CodePath { BucketId = package.BucketID ?? "", ObjectId = package.ObjectID ?? "", BucketUrl = package.BucketUrl ?? "", Token = package.Token ?? "", Sha512 = package.Signature ?? "" },
            PoolId = v.PoolID ?? "",
            PoolLabel = v.PoolLabel ?? "",
            EnableAgentSession = v.EnableAgentSession,
            EnableSessionCtx = v.EnableSessionCtx,
            EnableMetrics = v.EnableMetrics,
            IsFuncPublic = v.IsFuncPublic,
            CacheInstance = v.CacheInstance,
            IdleTime = v.IdleTime,
            Warmup = v.WarmupType ?? "",
            PriorityAz = v.PriorityAZ ?? "",
            SchedulePolicy = v.SchedulePolicy ?? "",
            ScalePolicy = v.ScalePolicy ?? "",
            SandboxType = v.SandboxType ?? "",
            Layers = stored.FunctionLayer?.Select(l => new LayerRef(l.Name ?? "", l.Version, l.Order)).ToList(),
            Device = v.Device is { IsSet: true } device ? device.Normalised() : null,
            Rootfs = rootfs with
            {
                Runtime = rootfs.Runtime ?? "",
                Type = rootfs.Type ?? "",
                ImageUrl = rootfs.ImageUrl ?? "",
                User = rootfs.User ?? "",
                Path = rootfs.Path ?? "",
                StorageInfo = rootfs.StorageInfo ?? new(),
                MountPoint = rootfs.MountPoint ?? "",
            },
            AutoScaleConfig = new AutoScaleConfig { SlaQuota = scale.SLAQuota, ScaleDownTime = scale.ScaleDownTime, BurstScaleNum = scale.BurstScaleNum },
            // Go writes these structs whole, so an empty one reads as none: what MetaService had before writing it.
            CustomContainerConfig = v.CustomContainerConfig is { } c && !IsEmpty(c)
                ? new CustomContainerConfig { ControlPath = c.ControlPath ?? "", Image = c.Image ?? "", Command = c.Command, Args = c.Args, WorkingDir = c.WorkingDir ?? "", Uid = c.Uid, Gid = c.Gid }
                : null,
            CustomHealthCheck = v.CustomHealthCheck is { } h && (h.TimeoutSeconds, h.PeriodSeconds, h.FailureThreshold) != (0, 0, 0)
                ? new CustomHealthCheck { TimeoutSeconds = h.TimeoutSeconds, PeriodSeconds = h.PeriodSeconds, FailureThreshold = h.FailureThreshold }
                : null,
            FuncName = v.FuncName ?? "",
            Service = v.Service ?? "",
            CreateTime = f.CreateTime ?? "",
            UpdateTime = f.UpdateTime ?? "",
            PublishTime = v.PublishTime ?? "",
            LastPublishedVersion = f.Version ?? "",
            Status = v.Status ?? "",
            InstanceNum = v.InstanceNum,
            ReversedConcurrency = f.ReversedConcurrency,
            StatefulFlag = v.StatefulFlag,
            FunctionType = v.FunctionType ?? "",
            IsBridgeFunction = v.IsBridgeFunction,
            EnableAuthInHeader = v.EnableAuthInHeader,
        };
    }

    private static bool IsEmpty(OriginalContainer c) =>
        string.IsNullOrEmpty(c.ControlPath) && string.IsNullOrEmpty(c.Image) && c.Command is null && c.Args is null
        && string.IsNullOrEmpty(c.WorkingDir) && c.Uid == 0 && c.Gid == 0;
}

/// <summary>The parts of a record key <c>/repo/FunctionVersion/yrk/{tenant}/{product}/{name}/{version}/</c>.</summary>
public readonly record struct RecordKey(string TenantId, string ProductId, string Name, string Version);

/// <summary>A stored function record that cannot be read: one function's data is broken, not the service. Lists
/// leave it out (and count it); a request for that function answers an error that names the key.</summary>
public sealed class UnreadableRecordException(string key, string reason)
    : Exception($"the stored record at {key} cannot be read ({reason}); fix or delete that key")
{
    public string Key { get; } = key;

    public string Reason { get; } = reason;
}