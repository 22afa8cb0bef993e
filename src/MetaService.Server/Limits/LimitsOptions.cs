namespace MetaService.Server.Limits;

/// <summary>What one caller may ask of the server (<c>Limits:</c>): a request rate, and the host names it may use.</summary>
public sealed class LimitsOptions : Core.ISettings
{
    public const string Section = "Limits";

    /// <summary>Requests per second one caller may make, on average (0: no limit). A caller is its credential once
    /// authentication names one, until then its address and <c>X-Tenant-Id</c> (<see cref="Caller"/>).</summary>
    public double RequestsPerSecond { get; set; } = 1000;

    /// <summary>Requests one caller may make at once above the rate, after a quiet spell.</summary>
    public int RequestBurst { get; set; } = 2000;

    /// <summary>Host names (without port) requests may name in <c>Host</c>; empty: the listen addresses and
    /// <c>localhost</c> (<see cref="HostCheck"/>); <c>*</c>: any.</summary>
    public string[] AllowedHosts { get; set; } = [];

    /// <summary>Bytes of a request line (method, target, protocol); more answers 414 (<see cref="RequestHead"/>).</summary>
    public int RequestLineBytes { get; set; } = 8192;

    /// <summary>Bytes of a request's header lines together; more answers 431.</summary>
    public int RequestHeadersBytes { get; set; } = 32768;

    /// <summary>Header lines of a request; more answers 431.</summary>
    public int RequestHeaderCount { get; set; } = 100;

    public IEnumerable<string> Problems()
    {
        if (RequestsPerSecond < 0 || double.IsNaN(RequestsPerSecond) || double.IsInfinity(RequestsPerSecond))
        {
            yield return $"Limits:RequestsPerSecond is {RequestsPerSecond}: give 0 (no limit) or a positive number (default 1000)";
        }

        if (RequestBurst < 1)
        {
            yield return $"Limits:RequestBurst is {RequestBurst}: give a positive number of requests (default 2000)";
        }

        foreach (var (name, value, least, most, fallback) in new[]
        {
            ("RequestLineBytes", RequestLineBytes, 256, 262144, 8192),
            ("RequestHeadersBytes", RequestHeadersBytes, 1024, 1048576, 32768),
            ("RequestHeaderCount", RequestHeaderCount, 10, 10000, 100),
        }.Where(l => l.Item2 < l.Item3 || l.Item2 > l.Item4))
        {
            yield return $"Limits:{name} is {value}: give {least} to {most} (default {fallback})";
        }

        foreach (var host in AllowedHosts.Where(h => h != "*" && Uri.CheckHostName(h) == UriHostNameType.Unknown))
        {
            yield return $"Limits:AllowedHosts has '{host}', which is not a host name: give names or addresses without scheme or port, or *";
        }
    }
}