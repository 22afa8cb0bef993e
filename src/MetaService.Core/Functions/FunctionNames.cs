using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace MetaService.Core.Functions;

/// <summary>Names, versions and URNs: what a valid name is, what the draft is called, how URNs read and parse.</summary>
public static partial class FunctionNames
{
    public const string NameFormatMessage =
        "format is 0@{serviceName}@{funcName} or 0-{serviceName}-{funcName}; serviceName is 1 to 16 letters or digits, "
        + "funcName is 1 to 128 letters, digits, dots or hyphens and does not start or end with a hyphen";

    public const string VersionFormatMessage =
        "versionNumber can only contain digits, letters, dots(.), hyphens(-), and underscores(_), and must start and end with a digit or letter, with less than 42 characters";

    /// <summary>Whether <paramref name="name"/> may be registered.</summary>
    public static bool IsValidNewName(string name) => CreateName().IsMatch(name);

    public static bool IsValidVersionNumber(string version) => VersionNumber().IsMatch(version);

    /// <summary>Whether a version or qualifier given in a query is well formed.</summary>
    public static bool IsValidQueryVersion(string version) => QueryVersion().IsMatch(version);

    /// <summary>Splits a faas name <c>0@service@func</c> into its parts.</summary>
    public static (string Service, string Func) SplitFaasName(string name)
    {
        var parts = name.Split('@');
        return parts.Length == 3 ? (parts[1], parts[2]) : ("", "");
    }

    /// <summary>
    /// Reads the <c>{name}</c> of a path: a plain function name, or a function (version) URN
    /// <c>prefix:zone:yrk:tenant:function:name[:version]</c> whose business and tenant must be the request's.
    /// </summary>
    public static bool TryParsePathName(string value, Tenant tenant, [NotNullWhen(true)] out FunctionRef? reference, [NotNullWhen(false)] out MetaError? error)
    {
        reference = null;
        error = null;
        if (string.IsNullOrEmpty(value))
        {
            error = MetaError.InvalidQueryUrn("empty functionid");
            return false;
        }

        if (PathName().IsMatch(value))
        {
            reference = new FunctionRef(value, null);
            return true;
        }

        var parts = value.Split(':');
        if (parts.Length is not (6 or 7))
        {
            error = MetaError.InvalidParam($"invalid URN: {value}");
            return false;
        }

        if (parts[2] != Tenant.Business || parts[3] != tenant.UrnTenant || parts[4] != "function" || !PathName().IsMatch(parts[5]))
        {
            error = MetaError.InvalidQueryUrn($"invalid URN: {value}");
            return false;
        }

        var version = parts.Length == 7 ? parts[6] : null;
        if (version is not null && !IsValidQueryVersion(version))
        {
            error = MetaError.InvalidQueryUrn($"invalid version: {version}");
            return false;
        }

        reference = new FunctionRef(parts[5], version);
        return true;
    }

    [GeneratedRegex(@"^0-[0-9a-zA-Z]{1,16}-([a-zA-Z0-9.][a-zA-Z0-9.-]{0,126}[a-zA-Z0-9.]|[a-zA-Z0-9.])\z|^[a-zA-Z0-9.][a-zA-Z0-9.-]{0,126}[a-zA-Z0-9.]\z|^[a-zA-Z0-9.]\z|^0@[0-9a-zA-Z]{1,16}@([a-zA-Z0-9.][a-zA-Z0-9.-]{0,126}[a-zA-Z0-9.]|[a-zA-Z0-9.])\z", RegexOptions.CultureInvariant)]
    private static partial Regex CreateName();

    [GeneratedRegex(@"^0-[0-9a-z]{1,16}-([a-zA-Z0-9.][a-zA-Z0-9.-]{0,126}[a-zA-Z0-9.]|[a-zA-Z0-9.])\z|^[a-zA-Z0-9.][a-zA-Z0-9.-]{0,126}[a-zA-Z0-9.]\z|^[a-zA-Z0-9.]\z|^0@[0-9a-zA-Z]{1,16}@([a-zA-Z0-9.][a-zA-Z0-9.-]{0,126}[a-zA-Z0-9.]|[a-zA-Z0-9.])\z", RegexOptions.CultureInvariant)]
    private static partial Regex PathName();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,40}[A-Za-z0-9]\z|^[A-Za-z0-9]\z", RegexOptions.CultureInvariant)]
    private static partial Regex VersionNumber();

    [GeneratedRegex(@"^\$?latest\z|^[0-9]{1,16}\z|^[A-Za-z0-9][A-Za-z0-9._-]{0,40}[A-Za-z0-9]\z|^[A-Za-z0-9]\z", RegexOptions.CultureInvariant)]
    private static partial Regex QueryVersion();
}

/// <summary>A function named in a path, with the version its URN carried, if any.</summary>
public sealed record FunctionRef(string Name, string? Version);