using System.Text.Json.Nodes;

using MetaService.Core.ReservedInstances;

namespace MetaService.Core.History;

/// <summary>The changes of a reserved-instance write, at <c>reservedInstances.&lt;label&gt;.&lt;cluster&gt;</c>: the
/// counts before and after in each cluster the write names.</summary>
public static class ReserveChanges
{
    public static List<HistoryChange> Written(string label, IReadOnlyDictionary<string, InstanceConfig> before, IEnumerable<InstanceConfig> after) =>
        [.. after.Select(config =>
        {
            var cluster = config.ClusterId ?? "";
            var from = before.TryGetValue(cluster, out var old) ? Counts(old) : null;
            return new HistoryChange(Path(label, cluster), from is null ? RecordChanges.Add : RecordChanges.Replace, from, Counts(config));
        })];

    /// <summary>A delete of one label, or of every label (<paramref name="label"/> empty), in every cluster.</summary>
    public static List<HistoryChange> Deleted(string label) =>
        [new HistoryChange(label.Length == 0 ? "reservedInstances" : $"reservedInstances.{label}", RecordChanges.Remove, null, null)];

    private static string Path(string label, string cluster) => $"reservedInstances.{label}.{cluster}";

    private static JsonObject Counts(InstanceConfig config) => new() { ["maxInstance"] = config.MaxInstance, ["minInstance"] = config.MinInstance };
}