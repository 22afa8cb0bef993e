using System.Text.Json;

namespace MetaService.Client;

/// <summary>A pod pool as stored at <c>/yr/podpools/info/&lt;id&gt;</c> and shown by the pool routes (§3.9, §5.4);
/// snake_case on the wire. The JSON-text members (volumes, tolerations, …) are strings, as in the original.</summary>
public sealed record Pool
{
    public string Id { get; init; } = "";

    public string? Group { get; init; }

    public int Size { get; init; }

    public int MaxSize { get; init; }

    public int ReadyCount { get; init; }

    public int Status { get; init; }

    public string? Msg { get; init; }

    public string? Image { get; init; }

    public string? InitImage { get; init; }

    public bool Reuse { get; init; }

    public Dictionary<string, string>? Labels { get; init; }

    public Dictionary<string, string>? Environment { get; init; }

    public JsonElement? Resources { get; init; }

    public string? Volumes { get; init; }

    public string? VolumeMounts { get; init; }

    public string? Affinities { get; init; }

    public string? RuntimeClassName { get; init; }

    public Dictionary<string, string>? NodeSelector { get; init; }

    public string? Tolerations { get; init; }

    public string? HorizontalPodAutoscalerSpec { get; init; }

    public string? TopologySpreadConstraints { get; init; }

    public long PodPendingDurationThreshold { get; init; }

    public IdleRecycleTime? IdleRecycleTime { get; init; }

    public bool Scalable { get; init; }

    /// <summary>The meaning of <see cref="Status"/> (get_pod_pool page).</summary>
    public static string StatusName(int status) => status switch
    {
        0 => "New",
        1 => "Creating",
        2 => "UpdatePending",
        3 => "Updating",
        4 => "Running",
        5 => "Failed",
        6 => "Deleted",
        _ => status.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

public sealed record IdleRecycleTime
{
    public long Reserved { get; init; }

    public long Scaled { get; init; }
}

/// <summary>The body of POST <c>/serverless/v1/podpools</c>.</summary>
public sealed record PoolCreateRequest(List<Pool> Pools);

/// <summary>The body of PUT <c>/serverless/v1/podpools/{id}</c>.</summary>
public sealed record PoolUpdateRequest
{
    public int Size { get; init; }

    public int MaxSize { get; init; }

    public string? HorizontalPodAutoscalerSpec { get; init; }
}

public sealed record PoolCreateAnswer(int Code, string? Message, PoolCreateResult? Result);

public sealed record PoolCreateResult(JsonElement? FailedPools);

public sealed record PoolPageAnswer(int Code, string? Message, PoolPage? Result);

/// <summary>One page of pools and the number of pools matching the filters across all pages.</summary>
public sealed record PoolPage(int Count, List<Pool>? Pools);

/// <summary>The filters of the pool GET and DELETE routes: exact id and group.</summary>
public sealed record PoolFilter(string? Id = null, string? Group = null);