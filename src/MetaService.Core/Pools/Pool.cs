using System.Text.Json.Serialization;

namespace MetaService.Core.Pools;

/// <summary>
/// A pod pool (§5.4): the value of <c>/yr/podpools/info/&lt;id&gt;</c> and the API object, with the original's
/// snake_case member names in its order. Members the original keeps as JSON text (volumes, affinities, …)
/// are strings. Another platform component creates the pods and updates <c>status</c>,
/// <c>ready_count</c> and <c>msg</c>.
/// </summary>
public sealed record Pool
{
    public string Id { get; init; } = "";

    public string Group { get; init; } = "";

    public int Size { get; init; }

    public int MaxSize { get; init; }

    public int ReadyCount { get; init; }

    /// <summary>One of <see cref="PoolStatus"/>.</summary>
    public int Status { get; init; }

    public string Msg { get; init; } = "";

    public string Image { get; init; } = "";

    public string InitImage { get; init; } = "";

    public bool Reuse { get; init; }

    public Dictionary<string, string>? Labels { get; init; }

    public Dictionary<string, string>? Environment { get; init; }

    public PoolResources Resources { get; init; } = new();

    /// <summary>JSON text.</summary>
    public string Volumes { get; init; } = "";

    /// <summary>JSON text.</summary>
    public string VolumeMounts { get; init; } = "";

    /// <summary>JSON text.</summary>
    public string Affinities { get; init; } = "";

    public string RuntimeClassName { get; init; } = "";

    public Dictionary<string, string>? NodeSelector { get; init; }

    /// <summary>JSON text.</summary>
    public string Tolerations { get; init; } = "";

    /// <summary>JSON text; only for pools that do not scale by <c>max_size</c>.</summary>
    public string HorizontalPodAutoscalerSpec { get; init; } = "";

    /// <summary>JSON text.</summary>
    public string TopologySpreadConstraints { get; init; } = "";

    public int PodPendingDurationThreshold { get; init; }

    public IdleRecycleTime IdleRecycleTime { get; init; } = new();

    /// <summary>Set by the service: <c>max_size &gt; size</c> at creation.</summary>
    public bool Scalable { get; init; }
}

public sealed record PoolResources
{
    public Dictionary<string, string>? Requests { get; init; }

    public Dictionary<string, string>? Limits { get; init; }
}

/// <summary>Seconds an idle pod is kept; -1 means forever.</summary>
public sealed record IdleRecycleTime
{
    public int Reserved { get; init; }

    public int Scaled { get; init; }
}

/// <summary>The pool states (the original's constants): the service sets New, Update pending and Deleted;
/// the platform sets the others.</summary>
public static class PoolStatus
{
    public const int New = 0;
    public const int Creating = 1;
    public const int UpdatePending = 2;
    public const int Updating = 3;
    public const int Running = 4;
    public const int Failed = 5;
    public const int Deleted = 6;
}

/// <summary>The body of <c>POST /serverless/v1/podpools</c>.</summary>
public sealed record PoolCreateRequest(List<Pool>? Pools);

/// <summary>The body of <c>PUT /serverless/v1/podpools/{id}</c>.</summary>
public sealed record PoolUpdateRequest
{
    public int Size { get; init; }

    public int MaxSize { get; init; }

    /// <summary>Empty keeps the stored value.</summary>
    public string? HorizontalPodAutoscalerSpec { get; init; }
}

/// <summary>The filters and page of <c>GET /serverless/v1/podpools</c>: <paramref name="Offset"/> is a 1-based
/// page index (0 means 1), <paramref name="Limit"/> the page size.</summary>
public sealed record PoolQuery(string? Id, string? Group, int Offset, int Limit)
{
    public const int DefaultLimit = 10;
}

/// <summary>A page of pools with the number of pools matching the filters; pools are null when the query was
/// out of range (a limit below 1 or a negative offset), as the original answers. <see cref="Revision"/>: the store revision
/// the pools were read at (sent as a header, not in the body).</summary>
public sealed record PoolPage(int Count, IReadOnlyList<Pool>? Pools)
{
    [JsonIgnore]
    public long? Revision { get; init; }
}

/// <summary>Source-generated JSON of the pool records, stored and on the wire: snake_case names, read
/// case-insensitively, numbers only as JSON numbers.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    PropertyNameCaseInsensitive = true,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(Pool))]
[JsonSerializable(typeof(PoolCreateRequest))]
[JsonSerializable(typeof(PoolUpdateRequest))]
public sealed partial class PoolJson : JsonSerializerContext;