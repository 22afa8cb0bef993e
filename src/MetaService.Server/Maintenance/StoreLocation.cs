using MetaService.Core.Storage;
using MetaService.Etcd;
using MetaService.Sqlite;
using MetaService.Sqlite.Backup;

using Microsoft.Extensions.Logging.Abstractions;

namespace MetaService.Server.Maintenance;

/// <summary>How maintenance reaches etcd: authentication and TLS, the same for every etcd side of a command.</summary>
internal sealed record EtcdAccess(string? User, string? Password, string? CaFile, string? CertFile, string? KeyFile);

/// <summary>A store a copy reads or writes: <c>sqlite:DIR</c> (the embedded store in a data directory) or
/// <c>etcd:URL[,URL…]</c> (an etcd cluster, its keys under <see cref="KeyPrefix"/> when given).</summary>
internal sealed record StoreLocation(string? DataDirectory, IReadOnlyList<string> Endpoints, string? KeyPrefix)
{
    public bool IsEtcd => DataDirectory is null;

    public static StoreLocation? Parse(string text, string? keyPrefix, out string? problem)
    {
        problem = null;
        if (text.StartsWith("sqlite:", StringComparison.Ordinal) && text.Length > "sqlite:".Length)
        {
            return keyPrefix is null
                ? new StoreLocation(Path.GetFullPath(text["sqlite:".Length..]), [], null)
                : Fail("a key prefix applies to etcd only", out problem);
        }

        if (text.StartsWith("etcd:", StringComparison.Ordinal))
        {
            var endpoints = text["etcd:".Length..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return endpoints.Length > 0 ? new StoreLocation(null, endpoints, keyPrefix) : Fail("etcd: needs the client URLs, e.g. etcd:http://127.0.0.1:2379", out problem);
        }

        return Fail($"'{text}' is not sqlite:DIR or etcd:URL[,URL…]", out problem);
    }

    public override string ToString() => IsEtcd
        ? $"etcd {string.Join(",", Endpoints)}" + (KeyPrefix is null ? "" : $" (key prefix /{KeyPrefix.Trim('/')})")
        : $"the embedded store in {DataDirectory}";

    /// <summary>Whether two locations are the same store, which a copy must not read and write at once.</summary>
    public bool SameAs(StoreLocation other) => IsEtcd
        ? other.IsEtcd && Endpoints.Intersect(other.Endpoints, StringComparer.OrdinalIgnoreCase).Any() && (KeyPrefix ?? "").Trim('/') == (other.KeyPrefix ?? "").Trim('/')
        : DataDirectory == other.DataDirectory;

    /// <summary>Pins the store's current revision and streams its keys under <paramref name="prefix"/> as of it.</summary>
    public async Task<(long Revision, IAsyncEnumerable<KeyValue> Keys, IAsyncDisposable Owner)> OpenSourceAsync(string prefix, EtcdAccess access, CancellationToken cancellationToken)
    {
        if (!IsEtcd)
        {
            var snapshot = SqliteSnapshot.Open(DataDirectory!);
            return (snapshot.Revision, snapshot.ReadAsync(prefix, cancellationToken), snapshot);
        }

        var etcd = await EtcdSnapshot.OpenAsync(EtcdOptions(access), TimeProvider.System, NullLogger.Instance, cancellationToken);
        return (etcd.Revision, etcd.ReadAsync(prefix, pageSize: 256, cancellationToken), etcd);
    }

    /// <summary>The store to write into; the embedded one only when no server has it open (a second writer would
    /// break its revisions).</summary>
    public IMetaStore OpenTarget(EtcdAccess access)
    {
        if (IsEtcd)
        {
            return new EtcdMetaStore(EtcdOptions(access), TimeProvider.System, NullLogger<EtcdMetaStore>.Instance);
        }

        if (SqliteBackup.InUse(DataDirectory!))
        {
            throw new MaintenanceRefusedException($"{this} is open in a running server: stop it first, or copy through that server's etcd");
        }

        return SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = DataDirectory! });
    }

    private EtcdStoreOptions EtcdOptions(EtcdAccess access)
    {
        var options = new EtcdStoreOptions
        {
            Endpoints = Endpoints,
            KeyPrefix = KeyPrefix,
            User = access.User,
            Password = access.Password,
            CaFile = access.CaFile,
            CertFile = access.CertFile,
            KeyFile = access.KeyFile,
            RequestTimeout = TimeSpan.FromSeconds(30),
        };
        var problems = options.Problems().ToList();
        return problems.Count == 0 ? options : throw new MaintenanceRefusedException(string.Join("; ", problems));
    }

    private static StoreLocation? Fail(string message, out string? problem)
    {
        problem = message;
        return null;
    }
}