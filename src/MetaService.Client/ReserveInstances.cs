namespace MetaService.Client;

/// <summary>The body of reserve-instance create and update (§3.8): one label of one function version, with
/// its instance counts per cluster.</summary>
public sealed record ReserveInstanceRequest
{
    public required string FuncName { get; init; }

    public required string Version { get; init; }

    public string? InstanceLabel { get; init; }

    public List<InstanceConfigInfo>? InstanceConfigInfos { get; init; }
}

/// <summary>Instance counts in one cluster; numbers on the wire, although openYuanrong's pages say strings.</summary>
public sealed record InstanceConfigInfo
{
    public string ClusterId { get; init; } = "";

    public long MaxInstance { get; init; }

    public long MinInstance { get; init; }
}

/// <summary>The answer of create and update.</summary>
public sealed record ReserveInstanceAnswer
{
    public int Code { get; init; }

    public string? Message { get; init; }

    public List<InstanceConfigInfo>? InstanceConfigInfos { get; init; }

    public ReserveInstanceBase? ReserveInsBaseInfo { get; init; }
}

public sealed record ReserveInstanceBase
{
    public string FuncName { get; init; } = "";

    public string Version { get; init; } = "";

    public string InstanceLabel { get; init; } = "";
}

/// <summary>The answer of GET: the labels of one function version, grouped across clusters.</summary>
public sealed record ReserveInstanceList
{
    public int Total { get; init; }

    public List<ReserveInstanceLabel>? Results { get; init; }
}

public sealed record ReserveInstanceLabel
{
    public string InstanceLabel { get; init; } = "";

    public List<InstanceConfigInfo>? InstanceConfigInfos { get; init; }
}

/// <summary>The body of GET (function and version) and DELETE (and optionally one label).</summary>
public sealed record ReserveInstanceQuery
{
    public required string FuncName { get; init; }

    public required string Version { get; init; }

    public string? InstanceLabel { get; init; }
}