using MetaService.Core;
using MetaService.Etcd;
using MetaService.Server.Shutdown;
using MetaService.Server.Wire;

namespace MetaService.Server.Startup;

/// <summary>
/// Finds keys under <c>Meta:</c>, <c>Store:</c>, <c>Limits:</c>, <c>Auth:</c>, <c>Tls:</c> and <c>Server:</c> that no setting reads (<c>--Meta:VersonMax 3</c>),
/// so that a misspelled setting is not silently ignored: each is named once at start, with the key it most
/// likely meant when one is close.
/// </summary>
internal static class SettingsKeys
{
    /// <summary>Every section checked and the keys it may hold; a key that is itself a section is checked inside.</summary>
    private static readonly Dictionary<string, string[]> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        [MetaOptions.Section] = Properties(typeof(MetaOptions)),
        ["Store"] = ["Kind", "DataDirectory", "Sqlite", "Etcd", "View"],
        ["Store:Sqlite"] = ["HistoryRetention", "MaxBatch", "FeedCapacityBytes"],
        ["Store:Etcd"] = Properties(typeof(EtcdStoreOptions)),
        ["Store:View"] = Properties(typeof(WatchedViewOptions)),
        [Limits.LimitsOptions.Section] = Properties(typeof(Limits.LimitsOptions)),
        [Auth.AuthOptions.Section] = Properties(typeof(Auth.AuthOptions)),
        ["Auth:OpenYuanrong"] = Properties(typeof(Auth.OpenYuanrongOptions)),
        ["Auth:Mtls"] = Properties(typeof(Auth.MtlsOptions)),
        [Tls.TlsOptions.Section] = Properties(typeof(Tls.TlsOptions)),
        [WireOptions.Section] = [.. Properties(typeof(WireOptions)), .. Properties(typeof(Functions.FunctionAnswersOptions)), GracefulShutdown.TimeoutKey.Split(':')[1]],
    };

    /// <summary>One warning text per unknown key, e.g. <c>Meta:VersonMax is not a setting (did you mean Meta:VersionMax?)</c>.</summary>
    public static IEnumerable<string> Unknown(IConfiguration configuration)
    {
        foreach (var (section, keys) in Known)
        {
            foreach (var child in configuration.GetSection(section).GetChildren())
            {
                if (keys.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
                {
                    continue;
                }

                var near = keys.Select(k => (Key: k, Distance: Distance(k, child.Key))).MinBy(k => k.Distance);
                yield return near.Distance <= Math.Max(2, child.Key.Length / 4)
                    ? $"{child.Path} is not a setting and is ignored (did you mean {section}:{near.Key}?)"
                    : $"{child.Path} is not a setting and is ignored (the {section} settings are listed in docs/configuration.md)";
            }
        }
    }

    private static string[] Properties(Type type) => [.. type.GetProperties().Where(p => p.CanWrite).Select(p => p.Name)];

    /// <summary>Edit distance, ignoring case.</summary>
    private static int Distance(string a, string b)
    {
        a = a.ToUpperInvariant();
        b = b.ToUpperInvariant();
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}