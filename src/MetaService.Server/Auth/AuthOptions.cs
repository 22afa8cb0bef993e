using System.Globalization;

using MetaService.Core;

namespace MetaService.Server.Auth;

/// <summary>Who may call, from the <c>Auth</c> section (docs/configuration.md, docs/security.md).</summary>
public sealed class AuthOptions : ISettings
{
    public const string Section = "Auth";

    /// <summary>The environment variable that holds openYuanrong's token key, as the platform's own components read it.</summary>
    public const string DataKeyVariable = "LITEBUS_DATA_KEY";

    /// <summary><c>none</c> (the default: no credential asked, loopback listeners only), or one or more of the modes of
    /// <see cref="AuthRegistration.Modes"/>, comma-separated (<c>token,openyuanrong</c>).</summary>
    public string Mode { get; set; } = "none";

    /// <summary>With mode <c>none</c>, listen on addresses other than loopback all the same (anyone who reaches the port
    /// is then whoever they say they are).</summary>
    public bool AllowUnauthenticatedNetwork { get; set; }

    /// <summary>What <c>/metrics</c> asks of a caller (it names every tenant): <c>Admin</c> by default.</summary>
    public Access MetricsAccess { get; set; } = Access.Admin;

    /// <summary>What <c>/openapi/v1.json</c> and <c>/scalar</c> ask of a caller: <c>Anonymous</c> by default (they
    /// describe the API, not its data).</summary>
    public Access ApiDescriptionAccess { get; set; } = Access.Anonymous;

    /// <summary>Mode <c>token</c>: a file holding the first admin token; created (mode 0600) with a new token when missing.</summary>
    public string BootstrapTokenFile { get; set; } = "";

    public OpenYuanrongOptions OpenYuanrong { get; set; } = new();

    public JwtOptions Jwt { get; set; } = new();
    public MtlsOptions Mtls { get; set; } = new();

    /// <summary>The modes named by <see cref="Mode"/>, lower-case; empty for <c>none</c>.</summary>
    public IReadOnlyList<string> Modes =>
        [.. Mode.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(m => m.ToLowerInvariant()).Where(m => m != "none").Distinct()];

    public IEnumerable<string> Problems()
    {
        var named = Mode.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(m => m.ToLowerInvariant()).ToList();
        var known = AuthRegistration.Modes.Keys.Append("none").ToList();
        foreach (var unknown in named.Where(m => !known.Contains(m)))
        {
            yield return $"Auth:Mode '{unknown}' is not a mode: use none (the default) or one or more of {string.Join(", ", AuthRegistration.Modes.Keys)}, comma-separated";
        }

        if (named.Contains("none") && named.Count > 1)
        {
            yield return $"Auth:Mode '{Mode}' combines none with other modes: give none alone, or only the modes that check credentials";
        }

        if (named.Count == 0)
        {
            yield return "Auth:Mode is empty: use none (the default), token, openyuanrong, jwt, mtls, or several of them comma-separated";
        }

        if (Modes.Contains("openyuanrong"))
        {
            foreach (var problem in OpenYuanrong.Problems())
            {
                yield return problem;
            }
        }

        if (Modes.Contains("jwt"))
        {
            foreach (var problem in Jwt.Problems())
            {
                yield return problem;
            }
        }

        if (Modes.Contains(MutualTlsScheme.Mode))
        {
            foreach (var problem in Mtls.Problems())
            {
                yield return problem;
            }
        }

        foreach (var (name, access) in new[] { ("MetricsAccess", MetricsAccess), ("ApiDescriptionAccess", ApiDescriptionAccess) })
        {
            if (!Enum.IsDefined(access))
            {
                yield return $"Auth:{name} is {access}: use Anonymous, Viewer, Editor or Admin";
            }
        }
    }
}

/// <summary>Mode <c>openyuanrong</c>: the key of the tokens openYuanrong's IAM server issues.</summary>
public sealed class OpenYuanrongOptions
{
    /// <summary>The key as upper-case hex, as in <c>LITEBUS_DATA_KEY</c>, which is read when this is empty.</summary>
    public string DataKey { get; set; } = "";

    /// <summary>The key's bytes (the hex decoded); empty when it is missing or not upper-case hex.</summary>
    public byte[] KeyBytes => IsUpperHex(DataKey) ? Convert.FromHexString(DataKey) : [];

    public IEnumerable<string> Problems()
    {
        if (DataKey.Length == 0)
        {
            yield return $"Auth:Mode openyuanrong needs the cluster's token key: set the environment variable {AuthOptions.DataKeyVariable} "
                + "(as openYuanrong's components get it) or Auth:OpenYuanrong:DataKey, upper-case hex";
        }
        else if (!IsUpperHex(DataKey))
        {
            yield return $"Auth:OpenYuanrong:DataKey (or {AuthOptions.DataKeyVariable}) must be upper-case hex of even length (0-9, A-F), "
                + "as openYuanrong's IAM server decodes it; it has " + DataKey.Length.ToString(CultureInfo.InvariantCulture) + " characters";
        }
    }

    private static bool IsUpperHex(string text) => text.Length > 0 && text.Length % 2 == 0 && text.All(c => c is (>= '0' and <= '9') or (>= 'A' and <= 'F'));
}