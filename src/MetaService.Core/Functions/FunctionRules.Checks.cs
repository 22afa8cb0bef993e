using System.Globalization;

using MetaService.Core.Records;

namespace MetaService.Core.Functions;

/// <summary>The checks and normalisations shared by create and update.</summary>
public static partial class FunctionRules
{
    private static void CheckCommon(FunctionRequest request, MetaOptions options, List<string> errors)
    {
        NullMembers.Check(request, errors);
        StoredSize.CheckEnvironment(request.Environment, options, errors);
        if (request.Handler is { } handler && RuneCount(handler) > options.HandlerMaxLength)
        {
            errors.Add($"handler must be at most {options.HandlerMaxLength} characters");
        }

        if (request.Description is { } description && RuneCount(description) > options.DescriptionMaxLength)
        {
            errors.Add($"description must be at most {options.DescriptionMaxLength} characters");
        }

        if (!string.IsNullOrEmpty(request.PoolId) && !PoolId().IsMatch(request.PoolId))
        {
            errors.Add($"poolId {request.PoolId} is invalid: 1 to 40 lowercase letters, digits or hyphens, starting and ending with a letter or digit");
        }

        if (request.Layers is { Count: > 0 } layers && !layers.Contains(null!))
        {
            errors.Add(layers.Count > options.LayerMax
                ? $"a function may have at most {options.LayerMax} layers"
                : $"layer {layers[0]} does not exist");
        }
    }

    private static void CheckResources(long cpu, long memory, string? poolType, FunctionDevice? device, MetaOptions options, List<string> errors)
    {
        if (poolType == "custom" || device is { IsSet: true })
        {
            return;
        }

        if (cpu < options.MinCpu || cpu > options.MaxCpu)
        {
            errors.Add($"CPU not in range [{options.MinCpu}, {options.MaxCpu}]");
        }

        if (memory < options.MinMemory || memory > options.MaxMemory)
        {
            errors.Add($"memory not in range [{options.MinMemory}, {options.MaxMemory}]");
        }
    }

    private static (int Min, int Max, int Concurrent) ParseInstances(FunctionRequest request, MetaOptions options, List<string> errors)
    {
        var min = ParseCount("minInstance", request.MinInstance, options.DefaultMinInstance, errors);
        var max = ParseCount("maxInstance", request.MaxInstance, options.DefaultMaxInstance, errors);
        var concurrent = ParseCount("concurrentNum", request.ConcurrentNum, options.DefaultConcurrentNum, errors);
        if (min is null || max is null || concurrent is null)
        {
            return default;
        }

        if (min < 0)
        {
            errors.Add($"minInstance {min} must not be negative");
        }

        if (min > max)
        {
            errors.Add($"minInstance {min} is greater than maxInstance {max}");
        }

        if (max > options.MaxInstanceUpperLimit)
        {
            errors.Add($"maxInstance {max} is greater than the upper limit {options.MaxInstanceUpperLimit}");
        }

        if (concurrent < 1 || concurrent > options.ConcurrentNumUpperLimit)
        {
            errors.Add($"concurrentNum {concurrent} is not in range [1, {options.ConcurrentNumUpperLimit}]");
        }

        return (min.Value, max.Value, concurrent.Value);
    }

    private static int? ParseCount(string field, string? text, int fallback, List<string> errors)
    {
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        errors.Add($"{field} '{Truncate(text)}' is not an integer");
        return null;
    }

    private static void CheckPreStop(string kind, Dictionary<string, string>? handlers, Dictionary<string, long>? timeouts, MetaOptions options, List<string> errors)
    {
        if (kind != FunctionKinds.Faas || handlers is null || !handlers.TryGetValue("pre_stop", out var preStop) || string.IsNullOrEmpty(preStop))
        {
            return;
        }

        var timeout = timeouts is not null && timeouts.TryGetValue("pre_stop", out var t) ? t : 0;
        if (timeout < 0 || timeout > options.PreStopTimeoutMax)
        {
            errors.Add($"preStop timeOut must between 0 and {options.PreStopTimeoutMax}");
        }
    }

    /// <summary>The root file system rules (§7.6), as the original's: all empty is fine; a type, when given, decides which
    /// fields belong; without one (only mounts, say) no type-bound field may be set. A rootfs that sets any field but its
    /// runtime runs under <c>runsc</c> unless it names a runtime.</summary>
    private static Rootfs NormaliseRootfs(Rootfs? rootfs, List<string> errors)
    {
        if (rootfs is null || rootfs.IsEmpty)
        {
            return Rootfs.Empty;
        }

        var before = errors.Count;
        if (rootfs.Type.Length > 0 && rootfs.Type is not ("local" or "image" or "s3"))
        {
            errors.Add($"rootfs type '{Truncate(rootfs.Type)}' is invalid: use local, image or s3");
        }

        if ((rootfs.Path.Length > 0) != (rootfs.Type == "local"))
        {
            errors.Add("rootfs path is required for type local and allowed only there");
        }

        if ((rootfs.ImageUrl.Length > 0) != (rootfs.Type == "image"))
        {
            errors.Add("rootfs imageurl is required for type image and allowed only there");
        }

        var storage = rootfs.StorageInfo;
        if (rootfs.Type == "s3" && (storage.Endpoint.Length == 0 || storage.Bucket.Length == 0 || storage.ObjectName.Length == 0))
        {
            errors.Add("rootfs of type s3 needs storageInfo endpoint, bucket and object");
        }

        if (rootfs.Type != "s3" && !storage.IsEmpty)
        {
            errors.Add("rootfs storageInfo is allowed only for type s3");
        }

        var placed = rootfs.Type.Length > 0 || rootfs.Path.Length > 0 || rootfs.ImageUrl.Length > 0 || !storage.IsEmpty
            || rootfs.MountPoint.Length > 0 || rootfs.Mounts is { Count: > 0 };
        return errors.Count > before ? Rootfs.Empty : rootfs with { Runtime = rootfs.Runtime.Length == 0 && placed ? "runsc" : rootfs.Runtime };
    }
}