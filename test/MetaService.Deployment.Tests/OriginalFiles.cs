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

    /// <summary>An etcd client URL as openYuanrong writes its servers: <c>host:port</c>, no scheme.</summary>
    public static string HostPort(string url) => new Uri(url).Authority;
}