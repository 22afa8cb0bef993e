using System.Text.Json;

using MetaService.Core.Records;
using MetaService.Core.Storage;

namespace MetaService.Core.Publishing;

/// <summary>Builds the platform keys and values of a function version (§6.3, Appendix A of the reference).</summary>
public static class PlatformValues
{
    /// <summary>The puts that publish <paramref name="record"/>: its <c>/sn|yr/functions</c> value and, for
    /// faas, its <c>/instances</c> value in the default cluster.</summary>
    public static IEnumerable<WriteOp> Puts(FunctionRecord record, MetaOptions options)
    {
        var tenant = new Tenant(record.TenantId, record.ProductId);
        var key = PlatformKeys.Published(record.Kind, tenant, record.Name, record.Version);
        if (record.Kind == FunctionKinds.Faas)
        {
            var faas = Faas(record, options);
            yield return new WriteOp.Put(key, JsonSerializer.SerializeToUtf8Bytes(faas, MetaJson.Default.FaasFunctionMeta));
            yield return new WriteOp.Put(
                PlatformKeys.Instance(MetaOptions.DefaultCluster, tenant, record.Name, record.Version),
                JsonSerializer.SerializeToUtf8Bytes(new InstanceKeyValue(faas.InstanceMetaData), MetaJson.Default.InstanceKeyValue));
        }
        else
        {
            yield return new WriteOp.Put(key, JsonSerializer.SerializeToUtf8Bytes(Yr(record, options), MetaJson.Default.YrFunctionMeta));
        }
    }

    public static FaasFunctionMeta Faas(FunctionRecord record, MetaOptions options)
    {
        var tenant = new Tenant(record.TenantId, record.ProductId);
        var handlers = record.ExtendedHandler ?? [];
        var timeouts = record.ExtendedTimeout ?? [];
        var initializer = handlers.GetValueOrDefault("initializer", "");
        var initTimeout = timeouts.GetValueOrDefault("initializer");
        return new FaasFunctionMeta(
            new FaasFuncMetaData
            {
                Name = record.Name,
                Description = record.Description,
                FunctionUrn = Urns.Function(options, tenant, record.Name),
                TenantId = tenant.UrnTenant,
                Tags = record.Tags,
                FunctionUpdateTime = record.UpdateTime,
                FunctionVersionUrn = Urns.Version(options, tenant, record.Name, record.Version),
                RevisionId = record.RevisionId,
                CodeSha512 = record.S3CodePath.Sha512 ?? "",
                Handler = record.Handler,
                Runtime = record.Runtime,
                Timeout = record.Timeout,
                Version = record.Version,
                VersionDescription = record.VersionDesc,
                BusinessId = Tenant.Business,
                FuncName = record.FuncName,
                Service = record.Service,
                Created = record.CreateTime,
                IdleTime = record.IdleTime,
                AutoScaleConfig = record.AutoScaleConfig,
                IsFuncPublic = record.IsFuncPublic,
            },
            Code(record),
            Env(record, options, prefix: ""),
            new FaasResourceMetaData { Cpu = record.Cpu, Memory = record.Memory, CustomResources = CustomResources(record) },
            new InstanceMetaData
            {
                MaxInstance = record.MaxInstance,
                MinInstance = record.MinInstance,
                ConcurrentNum = record.ConcurrentNum,
                PoolLabel = record.PoolLabel,
                PoolId = record.PoolId,
                SchedulePolicy = record.SchedulePolicy,
                ScalePolicy = record.ScalePolicy,
            },
            new FaasExtendedMetaData
            {
                Initializer = new Initializer(initializer, initializer.Length > 0 && initTimeout == 0 ? options.InitializerTimeoutDefault : initTimeout),
                PreStop = new PreStop(handlers.GetValueOrDefault("pre_stop", ""), timeouts.GetValueOrDefault("pre_stop")),
                CustomContainerConfig = record.CustomContainerConfig ?? new(),
                CustomHealthCheck = record.CustomHealthCheck ?? new(),
                PriorityAz = record.PriorityAz.Length > 0 ? record.PriorityAz : null,
                EnableMetrics = record.EnableMetrics,
                EnableAgentSession = record.EnableAgentSession,
                EnableSessionCtx = record.EnableSessionCtx,
            },
            record.Rootfs,
            record.SandboxType);
    }

    public static YrFunctionMeta Yr(FunctionRecord record, MetaOptions options)
    {
        var tenant = new Tenant(record.TenantId, record.ProductId);
        return new YrFunctionMeta(
            new YrFuncMetaData
            {
                Name = record.Name,
                Description = record.Description,
                FunctionUrn = Urns.Function(options, tenant, record.Name),
                Tags = record.Tags,
                FunctionUpdateTime = record.UpdateTime,
                FunctionVersionUrn = Urns.Version(options, tenant, record.Name, record.Version),
                CodeSha512 = record.S3CodePath.Sha512 ?? "",
                Handler = record.Handler,
                Runtime = record.Runtime,
                Timeout = record.Timeout,
                Version = record.Version,
                VersionDescription = record.VersionDesc,
                LatestVersionUpdateTime = record.UpdateTime,
                PublishTime = record.PublishTime,
                BusinessId = Tenant.Business,
                TenantId = tenant.UrnTenant,
                RevisionId = record.RevisionId,
                Created = record.CreateTime,
                HookHandler = record.HookHandler ?? [],
                IdleTime = record.IdleTime,
                IsFuncPublic = record.IsFuncPublic,
            },
            Code(record),
            Env(record, options, prefix: record.Kind == FunctionKinds.Agent ? "" : options.EnvPrefix),
            new YrResourceMetaData(record.Cpu, record.Memory, CustomResources(record)),
            new YrExtendedMetaData
            {
                InstanceMetaData = new YrInstanceMetaData(record.MaxInstance, record.MinInstance, record.ConcurrentNum, record.CacheInstance, "", ""),
                ExtendedHandler = record.ExtendedHandler,
                ExtendedTimeout = record.ExtendedTimeout,
                Device = record.Device ?? FunctionDevice.None,
                CustomContainerConfig = record.CustomContainerConfig ?? new(),
                CustomHealthCheck = record.CustomHealthCheck ?? new(),
                PriorityAz = record.PriorityAz.Length > 0 ? record.PriorityAz : null,
                EnableMetrics = record.EnableMetrics,
                EnableAgentSession = record.EnableAgentSession,
                EnableSessionCtx = record.EnableSessionCtx,
            },
            record.Warmup,
            record.Rootfs,
            record.SandboxType);
    }

    /// <summary>Code on the node's disk is a path; anything else is an object-store location.</summary>
    private static CodeMetaData Code(FunctionRecord record)
    {
        var onDisk = record.StorageType is "local" or "copy" or "working_dir";
        var s3 = record.S3CodePath;
        return new CodeMetaData
        {
            CodeUploadType = record.CodeUploadType,
            Sha512 = s3.Sha512 ?? "",
            StorageType = onDisk ? record.StorageType : null,
            CodePath = onDisk ? record.CodePath : null,
            BucketId = onDisk ? "" : s3.BucketId ?? "",
            ObjectId = onDisk ? "" : s3.ObjectId ?? "",
            BucketUrl = onDisk ? "" : s3.BucketUrl ?? "",
        };
    }

    private static EnvMetaData Env(FunctionRecord record, MetaOptions options, string prefix)
    {
        var environment = prefix.Length == 0 ? record.Environment : record.Environment.ToDictionary(p => prefix + p.Key, p => p.Value);
        return new EnvMetaData
        {
            Environment = JsonSerializer.Serialize(environment, MetaJson.Default.DictionaryStringString),
            CryptoAlgorithm = options.DecryptAlgorithm == "NO_CRYPTO" ? "NO_CRYPTO" : "GCM",
        };
    }

    private static string CustomResources(FunctionRecord record) =>
        record.CustomResources is { Count: > 0 } resources ? JsonSerializer.Serialize(resources, MetaJson.Default.DictionaryStringDouble) : "";
}