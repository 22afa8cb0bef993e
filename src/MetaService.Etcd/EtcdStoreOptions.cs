namespace MetaService.Etcd;

/// <summary>Settings of the etcd store, bound from <c>Store:Etcd</c>.</summary>
public sealed record EtcdStoreOptions : Core.ISettings
{
    public const string Section = "Store:Etcd";

    /// <summary>Client URLs of the etcd members, e.g. <c>http://127.0.0.1:2379</c>; all of one scheme.</summary>
    public IReadOnlyList<string> Endpoints { get; init; } = [];

    /// <summary>etcd user (etcd authentication); empty: no authentication.</summary>
    public string? User { get; init; }

    public string? Password { get; init; }

    /// <summary>PEM file of the CA that signed the members' certificates (https endpoints); empty: the system's trust store.</summary>
    public string? CaFile { get; init; }

    /// <summary>PEM client certificate and key for members that require client certificates.</summary>
    public string? CertFile { get; init; }

    public string? KeyFile { get; init; }

    /// <summary>openYuanrong's <c>azPrefix</c>: every key is stored as <c>/&lt;KeyPrefix&gt;&lt;key&gt;</c>. Empty: no prefix.</summary>
    public string? KeyPrefix { get; init; }

    /// <summary>How long one store call may take, retries included, before it fails (answered with 503).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one attempt may take before the call retries on another member (reads, and writes
    /// that certainly did not apply).</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How many write transactions may be outstanding at etcd at once; writes that arrive while they all are
    /// wait and go together in the next call (group commit, see <see cref="TxnBatchLimit"/>). One gives the largest
    /// batches: on a busy etcd, fewer proposals carry more writes (16 clients on 2 cores, one measurement each:
    /// 2.9k updates/s at 1, 2.2k at 2, 1.9k at 16; bench/README.md).</summary>
    public int TxnsInFlight { get; init; } = 1;

    /// <summary>How many waiting write transactions one etcd call may carry, as nested Txns of one Txn; 1 sends each
    /// alone.</summary>
    public int TxnBatchLimit { get; init; } = 32;

    /// <summary>The endpoints as one text, for messages.</summary>
    public string EndpointList => Endpoints.Count == 0 ? "(none)" : string.Join(",", Endpoints);

    /// <summary>Every problem of these settings, each saying how to fix it.</summary>
    public IEnumerable<string> Problems()
    {
        if (Endpoints.Count == 0)
        {
            yield return "Store:Etcd:Endpoints is empty: give the etcd client URLs, e.g. --etcd-endpoints http://127.0.0.1:2379";
        }

        foreach (var endpoint in Endpoints)
        {
            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                yield return $"Store:Etcd:Endpoints '{endpoint}' is not an http:// or https:// URL";
            }
        }

        if (Endpoints.Select(e => e.StartsWith("https:", StringComparison.OrdinalIgnoreCase)).Distinct().Count() > 1)
        {
            yield return "Store:Etcd:Endpoints mixes http and https: use one scheme for all members";
        }

        if (string.IsNullOrEmpty(User) != string.IsNullOrEmpty(Password))
        {
            yield return "Store:Etcd:User and Store:Etcd:Password go together: give both or neither";
        }

        if (string.IsNullOrEmpty(CertFile) != string.IsNullOrEmpty(KeyFile))
        {
            yield return "Store:Etcd:CertFile and Store:Etcd:KeyFile go together: give both or neither";
        }

        foreach (var (name, path) in new[] { ("CaFile", CaFile), ("CertFile", CertFile), ("KeyFile", KeyFile) })
        {
            if (!string.IsNullOrEmpty(path) && !File.Exists(path))
            {
                yield return $"Store:Etcd:{name} '{path}' does not exist";
            }
        }

        if (TxnsInFlight < 1)
        {
            yield return $"Store:Etcd:TxnsInFlight is {TxnsInFlight}: at least 1 write must be able to reach etcd";
        }

        if (TxnBatchLimit is < 1 or > 64)
        {
            yield return $"Store:Etcd:TxnBatchLimit is {TxnBatchLimit}: give 1 (no batching) to 64 (etcd allows 128 operations in a Txn)";
        }

        if (RequestTimeout <= TimeSpan.Zero || AttemptTimeout <= TimeSpan.Zero)
        {
            yield return "Store:Etcd:RequestTimeout and Store:Etcd:AttemptTimeout must be positive (e.g. 00:00:05)";
        }
    }
}