using System.Text.RegularExpressions;

using MetaService.Core.Records;

namespace MetaService.Core.Functions;

/// <summary>
/// The rules of create and update: what is required, the ranges, the defaults, and how an update merges
/// into the stored draft (§3.1, §3.2 of the reference). Every broken rule is reported at once, joined
/// with "; ", as one 4104.
/// </summary>
public static partial class FunctionRules
{
    /// <summary>Checks a create request and builds the draft it registers.</summary>
    public static Outcome<FunctionRecord> BuildDraft(FunctionRequest request, Tenant tenant, MetaOptions options, TimeProvider clock)
    {
        var errors = new List<string>();
        var name = request.Name ?? "";
        if (name.Length == 0)
        {
            errors.Add("name: non zero value required");
        }
        else if (!FunctionNames.IsValidNewName(name))
        {
            errors.Add(FunctionNames.NameFormatMessage);
        }

        var runtime = request.Runtime ?? "";
        if (runtime.Length == 0)
        {
            errors.Add("runtime: non zero value required");
        }
        else if (!options.Runtimes.Contains(runtime, StringComparer.Ordinal))
        {
            errors.Add($"runtime {runtime} is not valid");
        }

        var kind = request.Kind ?? "";
        CheckCommon(request, options, errors);
        CheckResources(request.Cpu ?? 0, request.Memory ?? 0, request.PoolType, request.Device, options, errors);
        var instances = ParseInstances(request, options, errors);
        var rootfs = NormaliseRootfs(request.Rootfs, errors);
        CheckPreStop(kind, request.ExtendedHandler, request.ExtendedTimeout, options, errors);
        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        var instant = clock.GetUtcNow();
        var now = Timestamps.Format(instant);
        var draftVersion = FunctionKinds.DraftVersion(kind);
        var (service, func) = kind == FunctionKinds.Faas ? FunctionNames.SplitFaasName(name) : ("", "");
        runtime = NormaliseRuntime(kind, runtime);
        var record = new FunctionRecord
        {
            TenantId = tenant.TenantId,
            ProductId = tenant.ProductId,
            Name = name,
            Version = draftVersion,
            VersionDesc = draftVersion,
            Kind = kind,
            Runtime = runtime,
            RevisionId = Timestamps.NextRevisionId(instant, null),
            Description = request.Description ?? "",
            Handler = request.Handler ?? "",
            Cpu = request.Cpu ?? 0,
            Memory = request.Memory ?? 0,
            Timeout = NormaliseTimeout(request.Timeout, options.DefaultTimeout, options),
            MinInstance = instances.Min,
            MaxInstance = instances.Max,
            ConcurrentNum = instances.Concurrent,
            Environment = InKeyOrder(request.Environment) ?? [],
            CustomResources = InKeyOrder(request.CustomResources),
            ExtendedHandler = request.ExtendedHandler,
            ExtendedTimeout = request.ExtendedTimeout,
            HookHandler = HookHandlers.For(kind, runtime, request.HookHandler),
            Tags = request.Tags,
            FuncName = func,
            Service = service,
            CreateTime = now,
            PublishTime = now,
            Layers = [],
        };
        return ApplyOverwritten(record, request, rootfs);
    }

    /// <summary>Checks an update request and merges it into the stored draft.</summary>
    public static Outcome<FunctionRecord> Merge(FunctionRecord draft, FunctionRequest request, MetaOptions options, TimeProvider clock)
    {
        var errors = new List<string>();
        if (!string.IsNullOrEmpty(request.Kind) && request.Kind != draft.Kind)
        {
            errors.Add($"kind cannot be changed: the function's kind is '{draft.Kind}', the request's '{request.Kind}'");
        }

        CheckCommon(request, options, errors);
        if (request.Cpu is not null || request.Memory is not null)
        {
            CheckResources(request.Cpu ?? draft.Cpu, request.Memory ?? draft.Memory, request.PoolType, request.Device, options, errors);
        }

        if (request.Timeout < 0)
        {
            errors.Add($"timeout {request.Timeout} must not be negative");
        }

        var instances = ParseInstances(request, options, errors);
        var rootfs = NormaliseRootfs(request.Rootfs, errors);
        CheckPreStop(draft.Kind, request.ExtendedHandler ?? draft.ExtendedHandler, request.ExtendedTimeout ?? draft.ExtendedTimeout, options, errors);
        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        var instant = clock.GetUtcNow();
        var merged = draft with
        {
            RevisionId = Timestamps.NextRevisionId(instant, draft.RevisionId),
            UpdateTime = Timestamps.Format(instant),
            Handler = NonEmpty(request.Handler, draft.Handler),
            Description = NonEmpty(request.Description, draft.Description),
            Cpu = request.Cpu is > 0 ? request.Cpu.Value : draft.Cpu,
            Memory = request.Memory is > 0 ? request.Memory.Value : draft.Memory,
            Timeout = request.Timeout is > 0 ? NormaliseTimeout(request.Timeout, draft.Timeout, options) : draft.Timeout,
            MinInstance = instances.Min,
            MaxInstance = instances.Max,
            ConcurrentNum = instances.Concurrent,
            Environment = InKeyOrder(request.Environment) ?? draft.Environment,
            CustomResources = InKeyOrder(request.CustomResources) ?? draft.CustomResources,
            ExtendedHandler = request.ExtendedHandler ?? draft.ExtendedHandler,
            ExtendedTimeout = request.ExtendedTimeout ?? draft.ExtendedTimeout,
            HookHandler = HookHandlers.For(draft.Kind, draft.Runtime, request.HookHandler),
            Layers = null,
        };
        return ApplyOverwritten(merged, request, rootfs);
    }

    /// <summary>The fields an update always overwrites: omitted means cleared (§3.2).</summary>
    private static FunctionRecord ApplyOverwritten(FunctionRecord record, FunctionRequest request, Rootfs rootfs)
    {
        var selectors = request.ResourceAffinitySelectors is { Count: > 0 } ? request.ResourceAffinitySelectors : request.SchedulePolicies;
        var s3 = request.S3CodePath ?? new S3CodePath();
        return record with
        {
            StorageType = request.StorageType ?? "",
            CodePath = request.CodePath ?? "",
            CodeUploadType = request.CodeUploadType ?? "",
            S3CodePath = new S3CodePath
            {
                BucketId = s3.BucketId ?? "",
                ObjectId = s3.ObjectId ?? "",
                BucketUrl = s3.BucketUrl ?? "",
                Token = s3.Token ?? "",
                Sha512 = s3.Sha512 ?? "",
            },
            CacheInstance = request.CacheInstance ?? 0,
            Device = request.Device is { IsSet: true } device ? device.Normalised() : null,
            PoolLabel = selectors is null ? "" : string.Join(',', selectors.Select(s => s.Group ?? "").Where(g => g.Length > 0)),
            PoolId = request.PoolId ?? "",
            EnableMetrics = request.EnableMetrics ?? false,
            EnableAgentSession = request.EnableAgentSession ?? false,
            EnableSessionCtx = request.EnableSessionCtx ?? false,
            PriorityAz = request.PriorityAz ?? "",
            IdleTime = request.IdleTime ?? 0,
            IsFuncPublic = request.IsFuncPublic ?? false,
            Warmup = request.Warmup ?? "",
            Rootfs = rootfs,
            ScalePolicy = request.ScalePolicy ?? "",
            SchedulePolicy = request.SchedulePolicy ?? "",
            SandboxType = request.SandboxType ?? record.SandboxType,
            CustomContainerConfig = request.ExtendedMetaData?.CustomContainerConfig,
            CustomHealthCheck = request.ExtendedMetaData?.CustomHealthCheck,
            AutoScaleConfig = NormaliseAutoScale(request.AutoScaleConfig),
        };
    }

    private static long NormaliseTimeout(long? requested, long fallback, MetaOptions options) => requested switch
    {
        null or <= 0 => fallback,
        var t when t > options.MaxTimeout => options.MaxTimeout,
        var t => t.Value,
    };

    private static AutoScaleConfig NormaliseAutoScale(AutoScaleConfig? config) => new()
    {
        SlaQuota = config is { SlaQuota: not 0 } ? config.SlaQuota : -1,
        ScaleDownTime = config is { ScaleDownTime: not 0 } ? config.ScaleDownTime : -1,
        BurstScaleNum = config is { BurstScaleNum: not 0 } ? config.BurstScaleNum : -1,
    };

    /// <summary>faas wants <c>java8</c>, the other kinds <c>java1.8</c>.</summary>
    private static string NormaliseRuntime(string kind, string runtime) => (kind, runtime) switch
    {
        (FunctionKinds.Faas, "java1.8") => "java8",
        (not FunctionKinds.Faas, "java8") => "java1.8",
        _ => runtime,
    };

    /// <summary>The environment and the custom resources are stored as Go writes a map, keys in ordinal order
    /// (<see cref="Records.RecordFormat"/>), and read back in that order: a record holds them so from the start, so that
    /// the function a write answers is the one a later read answers, member order included.</summary>
    private static Dictionary<string, T>? InKeyOrder<T>(Dictionary<string, T>? map) =>
        map?.OrderBy(pair => pair.Key, StringComparer.Ordinal).ToDictionary(pair => pair.Key, pair => pair.Value);

    private static string NonEmpty(string? requested, string stored) => string.IsNullOrEmpty(requested) ? stored : requested;

    private static int RuneCount(string text) => text.EnumerateRunes().Count();

    private static string Truncate(string text) => text.Length <= 64 ? text : text[..64] + "…";

    private static MetaError Invalid(List<string> errors) => MetaError.InvalidParam(string.Join("; ", errors));

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?\z", RegexOptions.CultureInvariant)]
    private static partial Regex PoolId();
}