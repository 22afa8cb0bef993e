namespace MetaService.Client;

/// <summary>Who the client speaks for, and how many rows it asks for per page.</summary>
public sealed record MetaClientOptions
{
    /// <summary>Sent as <c>X-Tenant-Id</c> when not empty (empty: the server takes the credential's tenant, or <c>default</c>).</summary>
    public string Tenant { get; init; } = "default";

    /// <summary>Sent as <c>X-Product-Id</c> when not empty.</summary>
    public string? Product { get; init; }

    /// <summary>An API token, sent as <c>Authorization: Bearer</c> when not empty.</summary>
    public string? Token { get; init; }

    /// <summary>Rows per page when a call pages through everything.</summary>
    public int PageSize { get; init; } = 500;

    /// <summary>Sends every write of functions, reserved instances and pools with <c>?dryRun=true</c>: the server runs
    /// every check and answers what the write would, writing nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>How long a watch waits before it connects again after its stream broke.</summary>
    public TimeSpan WatchRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How many times in a row a watch connects again without receiving anything before it gives up.</summary>
    public int WatchRetries { get; init; } = 30;
}