using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

using MetaService.Client;
using MetaService.Core.Functions;
using MetaService.Core.Records;

namespace MetaService.Cli.Specs;

/// <summary>
/// Whether updating a function's draft with a spec would change nothing the server shows, so that
/// <c>yrmeta function deploy</c> can leave it alone: every update makes a new revisionId, and a deploy
/// run twice (a CI job, a retry) must not make a revision of nothing.
/// </summary>
/// <remarks>
/// An update keeps some members when the spec leaves them out (handler, cpu, environment…) and resets
/// the others to their create defaults (code location, pool, instance counts…); each member is compared
/// accordingly. A member the server's answer does not show (poolType, warmup, autoScaleConfig…) cannot be
/// compared: a spec that gives one a value is always sent. A spec that leaves such a member out is taken
/// as matching, since nothing the server answers tells otherwise.
/// </remarks>
internal static class UnchangedSpec
{
    /// <summary>openYuanrong's create defaults of the instance counts (MetaService's <c>Meta:Default*</c>).</summary>
    private const int DefaultMinInstance = 0;
    private const int DefaultMaxInstance = 100;
    private const int DefaultConcurrentNum = 100;

    public static bool Matches(FunctionRequest spec, FunctionView current) =>
        KeptMembersMatch(spec, current) && ResetMembersMatch(spec, current) && !GivesHiddenMembers(spec);

    /// <summary>Members an update keeps when the spec leaves them out: compared only when given.</summary>
    private static bool KeptMembersMatch(FunctionRequest spec, FunctionView current) =>
        (string.IsNullOrEmpty(spec.Kind) || spec.Kind == current.Kind)
        && (spec.Runtime is null || StoredRuntime(current.Kind, spec.Runtime) == current.Runtime)
        && (string.IsNullOrEmpty(spec.Handler) || spec.Handler == current.Handler)
        && (string.IsNullOrEmpty(spec.Description) || spec.Description == current.Description)
        && (spec.Cpu is not > 0 || spec.Cpu == current.Cpu)
        && (spec.Memory is not > 0 || spec.Memory == current.Memory)
        && (spec.Timeout is not > 0 || spec.Timeout == current.Timeout)
        && (spec.Environment is null || SameMap(spec.Environment, current.Environment))
        && (spec.CustomResources is null || SameMap(spec.CustomResources, current.CustomResources))
        && (spec.ExtendedHandler is null || SameMap(spec.ExtendedHandler, current.ExtendedHandler))
        && (spec.ExtendedTimeout is null || SameMap(spec.ExtendedTimeout, current.ExtendedTimeout))
        && (spec.Tags is null || SameMap(spec.Tags, current.Tag))
        && (spec.SandboxType is null || spec.SandboxType == current.SandboxType);

    /// <summary>Members an update sets from the spec, to their create default when it leaves them out.</summary>
    private static bool ResetMembersMatch(FunctionRequest spec, FunctionView current) =>
        Count(spec.MinInstance, DefaultMinInstance) == current.MinInstance
        && Count(spec.MaxInstance, DefaultMaxInstance) == current.MaxInstance
        && Count(spec.ConcurrentNum, DefaultConcurrentNum) == current.ConcurrentNum
        && SameMap(HookHandlers.For(current.Kind ?? "", current.Runtime, spec.HookHandler), current.HookHandler)
        && (spec.StorageType ?? "") == current.StorageType
        && (spec.CodePath ?? "") == current.CodePath
        && SameCodeLocation(spec.S3CodePath, current.S3CodePath)
        && SameJson(spec.Device is { IsSet: true } device ? device.Normalised() : FunctionDevice.None, current.Device)
        && SameSelectors(spec.ResourceAffinitySelectors, current.ResourceAffinitySelectors)
        && (spec.PoolId ?? "") == current.PoolId
        && (spec.EnableMetrics ?? false) == current.EnableMetrics
        && (spec.EnableAgentSession ?? false) == current.EnableAgentSession
        && (spec.PriorityAz ?? "") == (current.PriorityAz ?? "")
        && (spec.Rootfs is null || spec.Rootfs.IsEmpty ? current.Rootfs.IsEmpty : SameJson(spec.Rootfs, current.Rootfs))
        && (spec.Layers ?? []).SequenceEqual(current.Layers ?? []);

    /// <summary>Members the server keeps but does not answer, given a value other than their default.</summary>
    private static bool GivesHiddenMembers(FunctionRequest spec) =>
        !string.IsNullOrEmpty(spec.CodeUploadType) || !string.IsNullOrEmpty(spec.PoolType)
        || spec.SchedulePolicies is { Count: > 0 } || spec.EnableSessionCtx is true || spec.IsFuncPublic is true
        || spec.CacheInstance is not (null or 0) || spec.IdleTime is not (null or 0)
        || !string.IsNullOrEmpty(spec.Warmup) || !string.IsNullOrEmpty(spec.SchedulePolicy) || !string.IsNullOrEmpty(spec.ScalePolicy)
        || spec.AutoScaleConfig is not null || spec.ExtendedMetaData is not null;

    /// <summary>The server stores Java 8 under the name each kind's runtime knows it by.</summary>
    private static string StoredRuntime(string? kind, string runtime) => (kind, runtime) switch
    {
        ("faas", "java1.8") => "java8",
        (not "faas", "java8") => "java1.8",
        _ => runtime,
    };

    /// <summary>An instance count as the server parses it; text it cannot parse never matches (the update reports it).</summary>
    private static int? Count(string? given, int fallback) =>
        string.IsNullOrEmpty(given) ? fallback
        : int.TryParse(given, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var count) ? count : null;

    /// <summary>The token is never answered: a spec that carries one is always sent.</summary>
    private static bool SameCodeLocation(S3CodePath? given, S3CodePath held) =>
        string.IsNullOrEmpty(given?.Token)
        && (given?.BucketId ?? "") == (held.BucketId ?? "")
        && (given?.ObjectId ?? "") == (held.ObjectId ?? "")
        && (given?.BucketUrl ?? "") == (held.BucketUrl ?? "")
        && (given?.Sha512 ?? "") == (held.Sha512 ?? "");

    /// <summary>The server keeps the groups only (as openYuanrong does), so priorities cannot differ.</summary>
    private static bool SameSelectors(List<AffinitySelector>? given, List<AffinitySelector>? held) =>
        Groups(given).SequenceEqual(Groups(held));

    private static IEnumerable<string> Groups(List<AffinitySelector>? selectors) =>
        (selectors ?? []).Select(s => s.Group ?? "").Where(g => g.Length > 0);

    /// <summary>Maps compared by content; no map and an empty one are the same.</summary>
    private static bool SameMap<TValue>(Dictionary<string, TValue>? given, Dictionary<string, TValue>? held)
    {
        given ??= [];
        held ??= [];
        return given.Count == held.Count
            && given.All(pair => held.TryGetValue(pair.Key, out var value) && EqualityComparer<TValue>.Default.Equals(pair.Value, value));
    }

    private static bool SameJson<T>(T given, T held)
    {
        var info = ClientJson.Info<T>(ClientJson.Lenient);
        return JsonNode.DeepEquals(JsonSerializer.SerializeToNode(given, info), JsonSerializer.SerializeToNode(held, info));
    }
}