namespace MetaService.Deployment.Tests;

/// <summary>
/// Our copies of the files openYuanrong's deployments give meta_service (the Helm chart's configmap, the process
/// deployment's metaservice_config.json and log file): their members and shapes, our values, and the deployments'
/// <c>{placeholders}</c>, filled here as the chart's template and <c>install.sh</c> fill them.
/// </summary>
public static class OriginalFiles
{
    /// <summary>Writes <paramref name="fixture"/> with every placeholder replaced into <paramref name="directory"/>; answers its path.</summary>
    public static string Render(string fixture, string directory, IReadOnlyDictionary<string, string> values)
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", fixture));
        foreach (var (placeholder, value) in values)
        {
            text = text.Replace("{" + placeholder + "}", value, StringComparison.Ordinal);
        }

        var path = Path.Combine(directory, fixture);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>The placeholders of <c>process-config.json</c> as <c>install.sh</c> fills them for a cluster without TLS:
    /// etcd at <paramref name="etcd"/> (metaEtcd at <paramref name="metaEtcd"/>), listening on 127.0.0.1:<paramref name="port"/>.</summary>
    public static Dictionary<string, string> ProcessValues(string etcd, string metaEtcd, string prefix, int port) => new()
    {
        ["etcdAddr"] = etcd,
        ["metaEtcdAddr"] = metaEtcd,
        ["azPrefix"] = prefix,
        ["sslEnable"] = "false",
        ["etcdAuthType"] = "Noauth",
        ["etcdCAFile"] = "",
        ["etcdCertFile"] = "",
        ["etcdKeyFile"] = "",
        ["clusters"] = "cluster002",
        ["ip"] = "127.0.0.1",
        ["port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["metaserviceSslEnable"] = "false",
        ["rootCAFile"] = "",
        ["moduleCertFile"] = "",
        ["moduleKeyFile"] = "",
        ["pwdFile"] = "",
    };

    /// <summary>An etcd client URL as openYuanrong writes its servers: <c>host:port</c>, no scheme.</summary>
    public static string HostPort(string url) => new Uri(url).Authority;
}