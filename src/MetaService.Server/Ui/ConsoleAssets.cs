using System.Collections.Frozen;
using System.IO.Compression;
using System.Security.Cryptography;

namespace MetaService.Server.Ui;

/// <summary>
/// The console's stylesheet and script, built into the server (embedded resources of <c>Ui/Assets</c>): nothing is
/// fetched from elsewhere, and no Node.js is needed to build or run them. Each is read and gzipped once, served with a
/// strong ETag (a 304 to a browser that holds it) and gzipped to browsers that accept it.
/// </summary>
public static class ConsoleAssets
{
    private static readonly FrozenDictionary<string, Asset> Assets = Load();

    /// <summary>The URL of an asset, with its content hash, so that a page never runs an older copy from a cache.</summary>
    public static string Url(string file) => $"{UiRegistration.Root}/assets/{file}?v={Assets[file].Tag[1..9]}";

    public static IResult Serve(HttpContext context, string file)
    {
        if (!Assets.TryGetValue(file, out var asset))
        {
            return TypedResults.NotFound();
        }

        var headers = context.Response.Headers;
        headers.ETag = asset.Tag;
        headers.CacheControl = "no-cache";
        headers.Vary = "Accept-Encoding";
        if (context.Request.Headers.IfNoneMatch.ToString() == asset.Tag)
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        if (context.Request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
        {
            headers.ContentEncoding = "gzip";
            return TypedResults.Bytes(asset.Gzipped, asset.ContentType);
        }

        return TypedResults.Bytes(asset.Content, asset.ContentType);
    }

    private static FrozenDictionary<string, Asset> Load()
    {
        var assembly = typeof(ConsoleAssets).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var (file, type) in new[] { ("console.css", "text/css; charset=utf-8"), ("console.js", "text/javascript; charset=utf-8") })
        {
            using var stream = assembly.GetManifestResourceStream("ui/" + file)
                ?? throw new InvalidOperationException($"the console's {file} is not built into the server (Ui/Assets)");
            using var content = new MemoryStream();
            stream.CopyTo(content);
            var bytes = content.ToArray();
            using var gzipped = new MemoryStream();
            using (var gzip = new GZipStream(gzipped, CompressionLevel.SmallestSize, leaveOpen: true))
            {
                gzip.Write(bytes);
            }

            var tag = "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes))[..16] + "\"";
            assets[file] = new Asset(bytes, gzipped.ToArray(), type, tag);
        }

        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private sealed record Asset(byte[] Content, byte[] Gzipped, string ContentType, string Tag);
}