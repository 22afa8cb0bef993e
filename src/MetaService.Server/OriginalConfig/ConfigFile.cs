using System.Globalization;
using System.Net;

using MetaService.Server.Startup;

namespace MetaService.Server.OriginalConfig;

/// <summary>
/// openYuanrong's meta_service <c>config.json</c> (<c>-config_path</c>), mapped onto MetaService's own settings:
/// the etcd store, the <c>Meta:</c> limits, and where and how to listen. What the original's Go code does with
/// each member is followed (spec §8; <c>function_repo/config/type.go</c>, <c>cmd/main.go</c>).
/// </summary>
internal sealed class ConfigFile
{
    /// <summary>Where the original looks for the etcd certificates when <c>authType</c> is <c>TLS</c> and the file names none.</summary>
    private const string EtcdResourceDirectory = "/home/sn/resource/etcd/";

    private readonly JsonMembers _json;
    private readonly Dictionary<string, string?> _settings = new(StringComparer.OrdinalIgnoreCase);

    private ConfigFile(JsonMembers json) => _json = json;

    /// <summary>The MetaService settings the file gives (configuration keys and values).</summary>
    public IReadOnlyDictionary<string, string?> Settings => _settings;

    public IReadOnlyList<string> Unused => _json.Unread();

    /// <summary>The address and port of <c>server</c>: the file's ip, else <c>POD_IP</c>, else 0.0.0.0.</summary>
    public required IPAddress Address { get; init; }

    public required int Port { get; init; }

    /// <summary>The https listener of <c>mutualSSLConfig</c>; null when <c>sslEnable</c> is off.</summary>
    public required ServerTls? Tls { get; init; }

    public static ConfigFile Read(string file, string? podIp)
    {
        var json = JsonMembers.Load(file, "-config_path");
        var config = new ConfigFile(json)
        {
            Address = ListenAddress(json, podIp),
            Port = ListenPort(json),
            Tls = json.Flag("mutualSSLConfig.sslEnable") ? ServerTls.Load(json) : null,
        };
        config.MapEtcd();
        config.MapLimits();
        return config;
    }

    private static IPAddress ListenAddress(JsonMembers json, string? podIp)
    {
        var ip = json.Text("server.ip") is { Length: > 0 } given ? given : podIp is { Length: > 0 } ? podIp : "0.0.0.0";
        return ip == "localhost" ? IPAddress.Loopback
            : IPAddress.TryParse(ip, out var address) ? address
            : throw new SettingsException($"{json.File}: server.ip (or POD_IP) is '{ip}', which is not an IP address: give the address to listen on, or leave it empty for 0.0.0.0");
    }

    private static int ListenPort(JsonMembers json) => json.Number("server.port") switch
    {
        // Port 0 (or no port) is what the original's Go listener gets too: a port the system chooses, named in the start line.
        null => 0,
        >= 0 and <= 65535 and var port => (int)port,
        var port => throw new SettingsException($"{json.File}: server.port is {port}: give a port from 1 to 65535"),
    };

    private void MapEtcd()
    {
        _settings["Store:Kind"] = "etcd";
        var ssl = _json.Flag("etcd.sslEnable");
        var servers = Endpoints(_json.Texts("etcd.servers"), ssl);
        if (servers.Count == 0)
        {
            throw new SettingsException($"{_json.File}: etcd.servers is empty: list the etcd members, e.g. \"servers\": [\"10.0.0.1:2379\"]");
        }

        for (var i = 0; i < servers.Count; i++)
        {
            _settings[$"Store:Etcd:Endpoints:{i}"] = servers[i];
        }

        var prefix = _json.Text("etcd.azPrefix") ?? "";
        Set("Store:Etcd:KeyPrefix", prefix);
        CheckMetaEtcd(servers, prefix);

        // The original's etcd client: TLS when sslEnable (its files from the etcd section when authType is TLS, else from
        // mutualTLSConfig), else user and password when both are given, else nothing.
        var authType = _json.Text("etcd.authType") ?? "";
        if (ssl && authType == "TLS")
        {
            Set("Store:Etcd:CaFile", OrDefault(_json.Text("etcd.cafile"), EtcdResourceDirectory + "ca.crt"));
            Set("Store:Etcd:CertFile", OrDefault(_json.Text("etcd.certfile"), EtcdResourceDirectory + "client.crt"));
            Set("Store:Etcd:KeyFile", OrDefault(_json.Text("etcd.keyfile"), EtcdResourceDirectory + "client.key"));
        }
        else if (ssl)
        {
            Set("Store:Etcd:CaFile", _json.Text("mutualTLSConfig.rootCAFile"));
            Set("Store:Etcd:CertFile", _json.Text("mutualTLSConfig.moduleCertFile"));
            Set("Store:Etcd:KeyFile", _json.Text("mutualTLSConfig.moduleKeyFile"));
        }
        else if ((_json.Text("etcd.user"), _json.Text("etcd.password")) is ({ Length: > 0 } user, { Length: > 0 } password))
        {
            _settings["Store:Etcd:User"] = user;
            _settings["Store:Etcd:Password"] = password;
        }
    }

    /// <summary>The original keeps a second etcd client for <c>metaEtcd</c>; every deployment points it at the same etcd and
    /// prefix, and MetaService keeps one client, so a file where they differ is refused rather than half followed.</summary>
    private void CheckMetaEtcd(IReadOnlyList<string> servers, string prefix)
    {
        // Has marks the whole section read: compared, none of its members is unused.
        if (!_json.Flag("metaEtcdEnable") || !_json.Has("metaEtcd"))
        {
            return;
        }

        var metaServers = Endpoints(_json.Texts("metaEtcd.servers"), _json.Flag("metaEtcd.sslEnable"));
        var metaPrefix = _json.Text("metaEtcd.azPrefix") ?? "";
        if (!Same(servers, metaServers) || metaPrefix.Trim('/') != prefix.Trim('/'))
        {
            throw new SettingsException(
                $"{_json.File}: metaEtcd ({string.Join(",", metaServers)}, azPrefix '{metaPrefix}') differs from etcd ({string.Join(",", servers)}, azPrefix '{prefix}'): "
                + "MetaService keeps every record in one etcd (openYuanrong's deployments point both at the same etcd and prefix; docs/compatibility.md, One etcd client). "
                + "Give metaEtcd the servers and azPrefix of etcd, or set metaEtcdEnable to false");
        }
    }

    private void MapLimits()
    {
        var clusters = (_json.Text("clusters") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (var i = 0; i < clusters.Length; i++)
        {
            _settings[$"Meta:Clusters:{i}"] = clusters[i];
        }

        var runtimes = _json.Texts("runtimeType");
        for (var i = 0; i < runtimes.Count; i++)
        {
            _settings[$"Meta:Runtimes:{i}"] = runtimes[i];
        }

        Set("Meta:DecryptAlgorithm", _json.Text("decryptAlgorithm"));
        Set("Meta:UrnPrefix", _json.Text("urn.prefix"));
        Set("Meta:UrnZone", _json.Text("urn.zone"));
        Set("Meta:EnvPrefix", _json.Text("function.default.envPrefix"));
        if (_json.Number("function.default.timeout") is { } timeout)
        {
            // As the original: zero or negative means its default, 900 s.
            _settings["Meta:DefaultTimeout"] = (timeout <= 0 ? 900 : timeout).ToString(CultureInfo.InvariantCulture);
        }

        foreach (var (member, key) in Limits)
        {
            if (_json.Number(member) is { } value)
            {
                _settings[key] = value.ToString(CultureInfo.InvariantCulture);
            }
        }
    }

    /// <summary>The numeric members that are MetaService limits one to one.</summary>
    private static readonly (string Member, string Key)[] Limits =
    [
        ("function.default.defaultMinInstance", "Meta:DefaultMinInstance"),
        ("function.default.defaultMaxInstance", "Meta:DefaultMaxInstance"),
        ("function.default.defaultConcurrentNum", "Meta:DefaultConcurrentNum"),
        ("function.default.maxInstanceUpperLimit", "Meta:MaxInstanceUpperLimit"),
        ("function.default.concurrentNumUpperLimit", "Meta:ConcurrentNumUpperLimit"),
        ("function.default.minCpu", "Meta:MinCpu"),
        ("function.default.maxCpu", "Meta:MaxCpu"),
        ("function.default.minMemory", "Meta:MinMemory"),
        ("function.default.maxMemory", "Meta:MaxMemory"),
        ("function.versionMax", "Meta:VersionMax"),
        ("function.instanceLabelMax", "Meta:InstanceLabelMax"),
        ("function.layerMax", "Meta:LayerMax"),
    ];

    /// <summary>openYuanrong lists members as <c>host:port</c>; MetaService's client wants URLs.</summary>
    private static List<string> Endpoints(IReadOnlyList<string> servers, bool ssl) =>
        [.. servers.SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(s => s.Contains("://", StringComparison.Ordinal) ? s : (ssl ? "https://" : "http://") + s)];

    private static bool Same(IReadOnlyList<string> a, IReadOnlyList<string> b) =>
        a.Select(Strip).Order(StringComparer.Ordinal).SequenceEqual(b.Select(Strip).Order(StringComparer.Ordinal), StringComparer.Ordinal);

    private static string Strip(string url) => (url.Contains("://", StringComparison.Ordinal) ? url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..] : url).TrimEnd('/').ToLowerInvariant();

    private static string OrDefault(string? value, string fallback) => string.IsNullOrEmpty(value) ? fallback : value;

    private void Set(string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            _settings[key] = value;
        }
    }
}