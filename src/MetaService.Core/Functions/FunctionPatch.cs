using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

using MetaService.Core.Records;

namespace MetaService.Core.Functions;

/// <summary>A merge patch turned into an update body: the body that keeps every member, patched (RFC 7396).</summary>
public readonly record struct PatchedRequest(FunctionRequest Request, bool ClearDescription);

/// <summary>
/// JSON Merge Patch (RFC 7396) of a draft. The draft is written as the update body that keeps it as it is
/// (<see cref="BodyOf"/>), the patch is merged into that body (members replace, objects merge, <c>null</c> removes),
/// and the result is read as an update body, so a patch has every rule of an update. A member the patch sets to
/// <c>null</c> takes its default: an empty map, false, 0, an empty string, the configured instance counts; the members
/// without a default (handler, runtime, kind, cpu, memory, timeout) cannot be removed.
/// </summary>
public static class FunctionPatch
{
    private static readonly string[] Required = ["name", "handler", "runtime", "kind", "cpu", "memory", "timeout"];
    private static readonly string[] Maps = ["environment", "customResources", "extendedHandler", "extendedTimeout", "hookHandler"];

    public static Outcome<PatchedRequest> Apply(FunctionRecord draft, JsonObject patch)
    {
        var clearDescription = false;
        foreach (var (member, value) in patch)
        {
            if (value is not null)
            {
                continue;
            }

            if (Required.Contains(member, StringComparer.OrdinalIgnoreCase))
            {
                return MetaError.InvalidParam($"{member} cannot be removed: set a value instead of null");
            }

            clearDescription |= member.Equals("description", StringComparison.OrdinalIgnoreCase);
        }

        if (patch.TryGetPropertyValue("name", out var name) && (name is not JsonValue text || !text.TryGetValue(out string? given) || given != draft.Name))
        {
            return MetaError.InvalidParam("name cannot be changed by a patch");
        }

        var body = JsonSerializer.SerializeToNode(BodyOf(draft), MetaJson.Default.FunctionRequest)!.AsObject();
        var merged = (JsonObject)Merge(body, patch)!;
        foreach (var map in Maps)
        {
            // Null removes the member; for a map the update reads absence as "keep", so the default is spelled out.
            if (patch.Any(p => p.Value is null && p.Key.Equals(map, StringComparison.OrdinalIgnoreCase)))
            {
                merged[map] = new JsonObject();
            }
        }

        try
        {
            return merged.Deserialize(MetaJson.Default.FunctionRequest) is { } request
                ? new PatchedRequest(request with { RevisionId = draft.RevisionId }, clearDescription)
                : MetaError.InvalidBody("the patched function is empty");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return MetaError.InvalidBody($"the patched function is not a valid update body: {e.Message}");
        }
    }

    /// <summary>RFC 7396 §2: a patch object merges member by member, null removes, anything else replaces.</summary>
    public static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject members)
        {
            return patch?.DeepClone();
        }

        var result = target as JsonObject ?? [];
        foreach (var (member, value) in members)
        {
            var existing = result[member];
            result.Remove(member);
            if (value is not null)
            {
                result[member] = Merge(existing, value);
            }
        }

        return result;
    }

    /// <summary>The update body that leaves <paramref name="draft"/> as it is: the members an update overwrites set to
    /// their stored values, the kept ones too.</summary>
    public static FunctionRequest BodyOf(FunctionRecord draft) => new()
    {
        Name = draft.Name,
        Kind = draft.Kind,
        RevisionId = draft.RevisionId,
        Handler = draft.Handler,
        Description = draft.Description,
        Cpu = draft.Cpu,
        Memory = draft.Memory,
        Timeout = draft.Timeout,
        MinInstance = draft.MinInstance.ToString(CultureInfo.InvariantCulture),
        MaxInstance = draft.MaxInstance.ToString(CultureInfo.InvariantCulture),
        ConcurrentNum = draft.ConcurrentNum.ToString(CultureInfo.InvariantCulture),
        Environment = new(draft.Environment),
        CustomResources = draft.CustomResources,
        ExtendedHandler = draft.ExtendedHandler,
        ExtendedTimeout = draft.ExtendedTimeout,
        HookHandler = draft.HookHandler,
        StorageType = draft.StorageType,
        CodePath = draft.CodePath,
        CodeUploadType = draft.CodeUploadType,
        S3CodePath = draft.S3CodePath,
        PoolId = draft.PoolId,
        ResourceAffinitySelectors = draft.PoolLabel.Length == 0 ? null : [.. draft.PoolLabel.Split(',').Select(g => new AffinitySelector { Group = g })],
        EnableAgentSession = draft.EnableAgentSession,
        EnableSessionCtx = draft.EnableSessionCtx,
        EnableMetrics = draft.EnableMetrics,
        IsFuncPublic = draft.IsFuncPublic,
        CacheInstance = draft.CacheInstance,
        IdleTime = draft.IdleTime,
        Warmup = draft.Warmup,
        PriorityAz = draft.PriorityAz,
        SchedulePolicy = draft.SchedulePolicy,
        ScalePolicy = draft.ScalePolicy,
        SandboxType = draft.SandboxType,
        Device = draft.Device,
        Rootfs = draft.Rootfs.IsEmpty ? null : draft.Rootfs,
        AutoScaleConfig = draft.AutoScaleConfig,
        ExtendedMetaData = draft.CustomContainerConfig is null && draft.CustomHealthCheck is null
            ? null
            : new ExtendedMetaData { CustomContainerConfig = draft.CustomContainerConfig, CustomHealthCheck = draft.CustomHealthCheck },
    };
}