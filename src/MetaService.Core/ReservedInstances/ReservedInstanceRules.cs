using System.Text.RegularExpressions;

namespace MetaService.Core.ReservedInstances;

/// <summary>What the reserve-instance routes do with a request (§3.8).</summary>
public enum ReserveAction
{
    Create,
    Update,
    Get,
    Delete,
}

/// <summary>
/// The rules of a reserve-instance request (§3.8): a faas function name, a version, a label (required to
/// write, optional to delete), and per cluster 0..1000 instances with max not below min, in known,
/// distinct clusters. Every broken rule is reported at once, joined with "; ", as one 4104.
/// </summary>
public static partial class ReservedInstanceRules
{
    public const int LabelMaxLength = 63;
    public const int ClusterIdMaxLength = 64;
    public const long InstanceUpperLimit = 1000;

    public static Outcome<ReserveTarget> Check(ReserveRequest request, ReserveAction action, MetaOptions options)
    {
        var errors = new List<string>();
        var name = request.FuncName ?? "";
        if (name.Length == 0)
        {
            errors.Add("funcName: non zero value required");
        }
        else if (!FaasName().IsMatch(name))
        {
            errors.Add($"funcName {name} is invalid: the format is 0@{{serviceName}}@{{funcName}}, serviceName 1 to 16 letters or digits, funcName lowercase letters, digits and hyphens");
        }

        var version = request.Version ?? "";
        if (version.Length == 0)
        {
            errors.Add("version: non zero value required");
        }

        var label = request.InstanceLabel ?? "";
        var writes = action is ReserveAction.Create or ReserveAction.Update;
        if (writes && label.Length == 0)
        {
            errors.Add("instanceLabel cannot be empty");
        }
        else if (action != ReserveAction.Get && label.Length > 0)
        {
            CheckLabel(label, errors);
        }

        var configs = writes ? CheckConfigs(request.InstanceConfigInfos ?? [], options, errors) : [];
        return errors.Count > 0
            ? MetaError.InvalidParam(string.Join("; ", errors))
            : new ReserveTarget(name, version, action == ReserveAction.Get ? "" : label, configs);
    }

    private static void CheckLabel(string label, List<string> errors)
    {
        if (label.Length > LabelMaxLength)
        {
            errors.Add($"instanceLabel: must not be longer than {LabelMaxLength} characters");
        }
        else if (!Label().IsMatch(label))
        {
            errors.Add($"instanceLabel {label} is invalid: letters, digits, '-', '_' and '.', starting and ending with a letter or digit");
        }
    }

    private static List<InstanceConfig> CheckConfigs(List<InstanceConfig> configs, MetaOptions options, List<string> errors)
    {
        var known = options.AllClusters().ToHashSet(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var checkedConfigs = new List<InstanceConfig>(configs.Count);
        foreach (var config in configs)
        {
            var cluster = string.IsNullOrEmpty(config.ClusterId) ? MetaOptions.DefaultCluster : config.ClusterId;
            if (cluster.Length > ClusterIdMaxLength)
            {
                errors.Add($"clusterId: must not be longer than {ClusterIdMaxLength} characters");
            }
            else if (!known.Contains(cluster))
            {
                errors.Add($"clusterID {cluster} is not found");
            }
            else if (!seen.Add(cluster))
            {
                errors.Add($"clusterID {cluster} is repeated");
            }

            CheckRange("maxInstance", config.MaxInstance, errors);
            CheckRange("minInstance", config.MinInstance, errors);
            if (config.MaxInstance < config.MinInstance)
            {
                errors.Add($"maxInstance {config.MaxInstance} is less than minInstance {config.MinInstance}");
            }

            checkedConfigs.Add(config with { ClusterId = cluster });
        }

        return checkedConfigs;
    }

    private static void CheckRange(string member, long value, List<string> errors)
    {
        if (value is < 0 or > InstanceUpperLimit)
        {
            errors.Add($"{member} {value} is not between 0 and {InstanceUpperLimit}");
        }
    }

    [GeneratedRegex(@"^0@[0-9a-zA-Z]{1,16}@([a-z0-9][a-z0-9-]{0,126}[a-z0-9]|[a-z])\z", RegexOptions.CultureInvariant)]
    private static partial Regex FaasName();

    [GeneratedRegex(@"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\z", RegexOptions.CultureInvariant)]
    private static partial Regex Label();
}