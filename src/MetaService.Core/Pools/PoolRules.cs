using System.Text;
using System.Text.RegularExpressions;

namespace MetaService.Core.Pools;

/// <summary>
/// The rules of pod pools (§3.9): ids and groups, sizes, the autoscaler and idle times on create; the
/// size rules and the status gate on update. Messages keep the original's words; create reports every
/// broken rule of a pool, each as its own "failed to create pod pool" entry.
/// </summary>
public static partial class PoolRules
{
    public const string DefaultGroup = "default";
    public const int ImageMaxBytes = 200;
    public const int RuntimeClassNameMaxBytes = 64;
    public const int MinIdleTime = -1;

    private const string IdFormat = "pod pool id can contain only lowercase letters, digits and '-'. "
        + "it cannot start or end with '-' and cannot exceed 40 characters or less than 1 characters";

    private const string GroupFormat = "pod pool group can contain only letters, digits and '-'. "
        + "it cannot start or end with '-' and cannot exceed 40 characters";

    private const string AutoscalerConflict =
        "max_size greater than size and horizontal_pod_autoscaler_spec cannot be set at the same time";

    /// <summary>A new pool as it is stored: group defaulted, <c>max_size</c> defaulted to <c>size</c>,
    /// <c>scalable</c> derived, absent text members empty.</summary>
    public static Pool Normalise(Pool pool)
    {
        var maxSize = pool.Size != 0 && pool.MaxSize == 0 ? pool.Size : pool.MaxSize;
        return pool with
        {
            Id = pool.Id ?? "",
            Group = string.IsNullOrEmpty(pool.Group) ? DefaultGroup : pool.Group,
            MaxSize = maxSize,
            Scalable = maxSize > pool.Size,
            Msg = pool.Msg ?? "",
            Image = pool.Image ?? "",
            InitImage = pool.InitImage ?? "",
            Resources = pool.Resources ?? new(),
            Volumes = pool.Volumes ?? "",
            VolumeMounts = pool.VolumeMounts ?? "",
            Affinities = pool.Affinities ?? "",
            RuntimeClassName = pool.RuntimeClassName ?? "",
            Tolerations = pool.Tolerations ?? "",
            HorizontalPodAutoscalerSpec = pool.HorizontalPodAutoscalerSpec ?? "",
            TopologySpreadConstraints = pool.TopologySpreadConstraints ?? "",
            IdleRecycleTime = pool.IdleRecycleTime ?? new(),
        };
    }

    /// <summary>Every broken rule of a normalised new pool, each a whole message.</summary>
    public static IEnumerable<string> Problems(Pool pool)
    {
        var prefix = $"failed to create pod pool, id: {pool.Id}, err: ";
        if (!Id().IsMatch(pool.Id))
        {
            yield return prefix + IdFormat;
        }

        if (!Group().IsMatch(pool.Group))
        {
            yield return $"failed to create pod pool, id: {pool.Id}, group: {pool.Group}, err: {GroupFormat}";
        }

        foreach (var problem in SizeProblems(pool))
        {
            yield return prefix + problem;
        }

        if (pool.IdleRecycleTime.Reserved < MinIdleTime)
        {
            yield return prefix + $"idle time of reserved should not less than {MinIdleTime}";
        }

        if (pool.IdleRecycleTime.Scaled < MinIdleTime)
        {
            yield return prefix + $"idle time of scaled should not less than {MinIdleTime}";
        }

        if (Encoding.UTF8.GetByteCount(pool.Image) > ImageMaxBytes)
        {
            yield return prefix + $"image len is not in [1, {ImageMaxBytes}]";
        }

        if (Encoding.UTF8.GetByteCount(pool.InitImage) > ImageMaxBytes)
        {
            yield return prefix + $"init image len is not in [1, {ImageMaxBytes}]";
        }

        if (Encoding.UTF8.GetByteCount(pool.RuntimeClassName) > RuntimeClassNameMaxBytes)
        {
            yield return prefix + $"runtime_class_name should not greater than {RuntimeClassNameMaxBytes}";
        }

        if (pool.PodPendingDurationThreshold < 0)
        {
            yield return prefix + $"podPendingDurationThreshold should not be less than 0, which is {pool.PodPendingDurationThreshold}";
        }
    }

    /// <summary>
    /// The pool after an update, or why not: negative sizes (400), a missing or deleted pool (404), a pool
    /// the platform has not taken up yet, New or Update pending (409), sizes that break the rules (400).
    /// A pool that is not scalable keeps <c>max_size = size</c>; a scalable one keeps its <c>max_size</c>
    /// when the request gives 0 with a size.
    /// </summary>
    public static Outcome<Pool> ApplyUpdate(Pool? stored, PoolUpdateRequest request)
    {
        var errors = new List<string>();
        if (request.Size < 0)
        {
            errors.Add("failed to update pod pool, err: size is less than 0");
        }

        if (request.MaxSize < 0)
        {
            errors.Add("failed to update pod pool, err: max_size is less than 0");
        }

        if (errors.Count > 0)
        {
            return MetaError.InvalidParam(string.Join("; ", errors));
        }

        if (stored is null || stored.Status == PoolStatus.Deleted)
        {
            return MetaError.PoolNotFound();
        }

        if (stored.Status is PoolStatus.New or PoolStatus.UpdatePending)
        {
            return MetaError.PoolBusy(stored.Status);
        }

        var maxSize = !stored.Scalable ? request.Size
            : request.MaxSize == 0 && request.Size != 0 ? stored.MaxSize
            : request.MaxSize;
        var autoscaler = string.IsNullOrEmpty(request.HorizontalPodAutoscalerSpec) ? stored.HorizontalPodAutoscalerSpec : request.HorizontalPodAutoscalerSpec;
        var updated = stored with { Size = request.Size, MaxSize = maxSize, HorizontalPodAutoscalerSpec = autoscaler, Status = PoolStatus.UpdatePending };
        errors.AddRange(SizeProblems(updated).Select(p => "failed to update pod pool, err: " + p));
        return errors.Count > 0 ? MetaError.InvalidParam(string.Join("; ", errors)) : updated;
    }

    private static IEnumerable<string> SizeProblems(Pool pool)
    {
        if (pool.Size < 0)
        {
            yield return "size is less than 0";
        }

        if (pool.MaxSize < pool.Size)
        {
            yield return "max_size is less than size";
        }
        else if (pool.MaxSize > pool.Size && pool.HorizontalPodAutoscalerSpec.Length > 0)
        {
            yield return AutoscalerConflict;
        }
    }

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Id();

    [GeneratedRegex(@"^[a-zA-Z0-9]([-a-zA-Z0-9]{0,38}[a-zA-Z0-9])?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Group();
}