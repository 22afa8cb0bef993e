using System.Globalization;
using System.Text;

using MetaService.Core.Storage;

namespace MetaService.Core.History;

/// <summary>
/// Where the history lives on a store without an append log (etcd), and where an earlier MetaService kept it on the
/// embedded store, under MetaService's own root (no openYuanrong component reads it); and what entries are appended under
/// in an append log (<see cref="Stream"/>, <see cref="TrailStream"/>). At keys, each entry is written in
/// the transaction of its write at the function's key (<c>…/functions/&lt;tenant&gt;/&lt;product&gt;/&lt;name&gt;/&lt;seq&gt;</c>)
/// and the tenant trail's (<c>…/trail/&lt;tenant&gt;/&lt;product&gt;/&lt;time&gt;/&lt;name&gt;/&lt;seq&gt;</c>), the same bytes at
/// both; the record after the write (the snapshot) at <c>…/snapshots/&lt;leaf&gt;/…</c>. All sort newest first in a forward range: the sequence and the time are stored inverted, fixed width.
/// The sequence is one more than the store's revision when the entry is made, so it is above every earlier entry of the
/// function (each was written at a revision the store had reached); two writes racing on the same number (they touch
/// other keys, or one of them would lose its compare) stay apart by a random suffix.
/// </summary>
public static class HistoryKeys
{
    public const string Root = PlatformKeys.OwnRoot + "history/";

    private const string Functions = Root + "functions/";
    private const string Trails = Root + "trail/";
    private const string Snapshots = Root + "snapshots/";
    private const int Width = 19;

    public static string FunctionPrefix(Tenant tenant, string name) => $"{Functions}{tenant.TenantId}/{tenant.ProductId}/{name}/";

    /// <summary>Every function entry of every tenant (what the pruner walks).</summary>
    public static string AllFunctions => Functions;

    public static string TrailPrefix(Tenant tenant) => $"{Trails}{tenant.TenantId}/{tenant.ProductId}/";

    /// <summary>What a function's entries are appended under in a store's append log (its key there).</summary>
    public static string Stream(Tenant tenant, string name) => $"{tenant.TenantId}/{tenant.ProductId}/{name}";

    /// <summary>What the tenant's trail is appended under in a store's append log (its group there).</summary>
    public static string TrailStream(Tenant tenant) => $"{tenant.TenantId}/{tenant.ProductId}";

    /// <summary>The leaf of a new entry: the inverted sequence, the time (UTC milliseconds, for the pruner) and a random suffix.</summary>
    public static string NewLeaf(long sequence, DateTimeOffset time) =>
        $"{Inverted(sequence)}-{time.ToUnixTimeMilliseconds().ToString("D13", CultureInfo.InvariantCulture)}-{Random.Shared.Next():x8}";

    /// <summary>The time a function entry's key holds, or null when the key is not one.</summary>
    public static DateTimeOffset? TimeOf(string key)
    {
        var parts = key[(key.LastIndexOf('/') + 1)..].Split('-');
        return parts.Length == 3 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var millis)
            ? DateTimeOffset.FromUnixTimeMilliseconds(millis)
            : null;
    }

    public static string TrailKey(Tenant tenant, DateTimeOffset time, string name, string leaf) =>
        $"{TrailPrefix(tenant)}{Inverted(time.ToUnixTimeMilliseconds())}/{name}/{leaf}";

    /// <summary>A trail key's time (UTC milliseconds), or null when the key is not one.</summary>
    public static long? TrailMillis(string key, string prefix) =>
        key.Length > prefix.Length + Width && long.TryParse(key.AsSpan(prefix.Length, Width), NumberStyles.None, CultureInfo.InvariantCulture, out var inverted)
            ? long.MaxValue - inverted
            : null;

    /// <summary>Where a trail read for entries made at or before <paramref name="until"/> starts (after this key).</summary>
    public static string TrailStartAfter(Tenant tenant, DateTimeOffset until) =>
        TrailPrefix(tenant) + Inverted(until.ToUnixTimeMilliseconds() + 1) + "0";

    /// <summary>The tenant's trail key of a function entry's key; null when the key is not one.</summary>
    public static string? TrailKeyOf(string functionKey)
    {
        // …/functions/<tenant>/<product>/<name>/<leaf>
        var parts = functionKey[Functions.Length..].Split('/');
        return parts.Length >= 4 && TimeOf(functionKey) is { } time
            ? TrailKey(new Tenant(parts[0], parts[1]), time, string.Join('/', parts[2..^1]), parts[^1])
            : null;
    }

    /// <summary>Where the snapshot of a function entry is kept: under <c>…/snapshots/</c> by the entry's leaf first (its
    /// inverted sequence), then the tenant, product and name. Snapshots of every function are thus written next to each
    /// other, newest first like the trail, so a batch of writes to many functions adds its snapshots to one page of the
    /// store's key index instead of one page per function; and a page of entries reads no records.</summary>
    public static string SnapshotKeyOf(string functionKey)
    {
        var leaf = functionKey.LastIndexOf('/');
        return $"{Snapshots}{functionKey[(leaf + 1)..]}/{functionKey[Functions.Length..leaf]}";
    }

    /// <summary>Where entries written before the key above kept their snapshot (beside the function's entry); read when
    /// <see cref="SnapshotKeyOf"/> holds none, deleted with the entry.</summary>
    public static string EarlierSnapshotKeyOf(string functionKey) => Snapshots + functionKey[Functions.Length..];

    /// <summary>An opaque continue token of a key below <paramref name="prefix"/>.</summary>
    public static string Token(string key, string prefix) => Encode(key[prefix.Length..]);

    /// <summary>An opaque continue token of a position in a store's append log: before the entry of this id.</summary>
    public static string Token(long appendedId) => Encode(string.Create(CultureInfo.InvariantCulture, $"@{appendedId}"));

    /// <summary>The append log's id a continue token names; null when it is not a token of one.</summary>
    public static long? AppendedIdOf(string token) =>
        Decode(token) is ['@', .. var digits] && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0 ? id : null;

    /// <summary>The key a continue token names below <paramref name="prefix"/>; null when it is not a token of one.</summary>
    public static string? KeyOf(string token, string prefix) =>
        Decode(token) is { } rest && rest.Length > Width && rest.AsSpan(0, Width).IndexOfAnyExceptInRange('0', '9') < 0 ? prefix + rest : null;

    private static string Encode(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string? Decode(string token)
    {
        var base64 = token.Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
        var bytes = new byte[base64.Length];
        if (token.Length is 0 or > 1024 || !Convert.TryFromBase64String(base64, bytes, out var length))
        {
            return null;
        }

        try
        {
            return new UTF8Encoding(false, true).GetString(bytes, 0, length);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static string Inverted(long value) => (long.MaxValue - value).ToString("D19", CultureInfo.InvariantCulture);
}