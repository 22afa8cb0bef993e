using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

using MetaService.Core;
using MetaService.Core.Storage;
using MetaService.Server.Wire;

using Microsoft.Extensions.Options;

namespace MetaService.Server.Idempotency;

/// <summary>
/// <c>Idempotency-Key</c> on a POST route (IETF httpapi draft). The first request with a key stores, in the transaction of
/// its write, the key (per tenant and route), a hash of the request (method, route, its values and query, body) and its
/// answer; a retry with the same key and request gets that answer byte for byte with <c>Idempotent-Replayed: true</c>,
/// one with another request 422. Of concurrent requests with one key, one writes: the others lose their compare on the
/// key and answer what it stored. A refused request stores nothing.
/// </summary>
internal sealed class IdempotencyFilter(string route) : IEndpointFilter
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const int MaxKeyLength = 255;

    /// <summary>Where the keys are, under MetaService's own root (no openYuanrong component reads it).</summary>
    public const string Root = PlatformKeys.OwnRoot + "idempotency/";

    public string Route => route;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var request = http.Request;
        if (!request.Headers.TryGetValue(Header, out var values))
        {
            return await next(context);
        }

        // The draft's form is a structured-field string ("…"); a bare token is taken as it is.
        var key = values.ToString();
        key = key.Length >= 2 && key[0] == '"' && key[^1] == '"' ? key[1..^1] : key;
        if (values.Count != 1 || key.Length is 0 or > MaxKeyLength)
        {
            return WireResults.Error(MetaError.InvalidParam($"{Header} must be one value of 1 to {MaxKeyLength} characters"));
        }

        var services = http.RequestServices;
        var body = await BufferedBodyAsync(request, services.GetRequiredService<IOptions<WireOptions>>().Value.MaxRequestBodyBytes, http.RequestAborted);
        if (body is null || !WireRequests.Tenant(request).TryGet(out var tenant, out _))
        {
            // Refused by the handler (too large, bad tenant): nothing is stored.
            return await next(context);
        }

        var store = services.GetRequiredService<IMetaStore>();
        var clock = services.GetRequiredService<TimeProvider>();
        var storeKey = StoreKey(tenant, route, key);
        var hash = Hash(request, body);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var (kept, keptRevision) = await ReadAsync(store, storeKey, now, http.RequestAborted);
        if (kept is not null)
        {
            return Answer(kept, hash, write: null);
        }

        var window = services.GetRequiredService<IOptions<IdempotencyOptions>>().Value.Window;
        var write = new IdempotentWrite(storeKey, hash, keptRevision, now + (long)window.TotalMilliseconds);
        http.Features.Set(write);
        var result = await next(context);

        // Stored by this request's write, or by a concurrent one with the same key: either way the key's answer is the answer.
        var (stored, _) = await ReadAsync(store, storeKey, now, http.RequestAborted);
        return stored is null ? result : Answer(stored, hash, write);
    }

    /// <summary>The key's store key: tenant, product and route, then a hash of the key (any characters, fixed length).</summary>
    public static string StoreKey(Tenant tenant, string route, string key) =>
        $"{Root}{Tenant.Business}/{tenant.TenantId}/{tenant.ProductId}/{route}/{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))}";

    private static IResult Answer(StoredAnswer stored, string hash, IdempotentWrite? write) =>
        stored.Hash != hash
            ? new Unprocessable($"{Header} was used with another request (method, route, query or body) within its window; send a new key for a new request")
            : new Replay(stored, replayed: stored.Id != write?.Id);

    /// <summary>The live answer at <paramref name="storeKey"/>, or null with the mod revision of an expired (or unreadable)
    /// one, 0 when there is none.</summary>
    private static async Task<(StoredAnswer? Answer, long ModRevision)> ReadAsync(IMetaStore store, string storeKey, long now, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(storeKey, cancellationToken) is not { } kv)
        {
            return (null, 0);
        }

        var stored = Parse(kv.Value);
        return stored is not null && stored.ExpiresAt > now ? (stored, kv.ModRevision) : (null, kv.ModRevision);
    }

    internal static StoredAnswer? Parse(byte[] value)
    {
        try
        {
            return JsonSerializer.Deserialize(value, IdempotencyJson.Default.StoredAnswer);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private string Hash(HttpRequest request, byte[] body)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var values = string.Join('\n', request.RouteValues.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key}={v.Value}"));
        sha.AppendData(Encoding.UTF8.GetBytes($"{request.Method}\n{route}\n{values}\n{request.QueryString.Value}\n"));
        sha.AppendData(body);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>The body's bytes, left readable again for the handler; null when it is over the limit.</summary>
    private static async Task<byte[]?> BufferedBodyAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        request.EnableBuffering(bufferThreshold: 64 * 1024, bufferLimit: limit + 1);
        using var copy = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;

        // Never more than one byte past the limit: the buffering stream throws on a read that takes it past bufferLimit.
        while ((read = await request.Body.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, limit + 1 - copy.Length)), cancellationToken)) > 0)
        {
            if (copy.Length + read > limit)
            {
                request.Body.Position = 0;
                return null;
            }

            copy.Write(buffer, 0, read);
        }

        request.Body.Position = 0;
        return copy.ToArray();
    }

    /// <summary>A stored answer, as it was first sent.</summary>
    private sealed class Replay(StoredAnswer stored, bool replayed) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = stored.Status;
            response.ContentType = stored.ContentType;
            foreach (var (name, value) in stored.Headers)
            {
                response.Headers[name] = value;
            }

            if (replayed)
            {
                response.Headers[ReplayedHeader] = "true";
            }

            response.ContentLength = stored.Body.Length;
            await response.Body.WriteAsync(stored.Body, httpContext.RequestAborted);
        }
    }

    /// <summary>422 <c>{code:422, message}</c>: the key belongs to another request.</summary>
    private sealed class Unprocessable(string message) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            WireResults.SetCode(httpContext, StatusCodes.Status422UnprocessableEntity);
            return TypedResults.Json(new ErrorBody(StatusCodes.Status422UnprocessableEntity, message), WireJson.Relaxed.ErrorBody, statusCode: StatusCodes.Status422UnprocessableEntity)
                .ExecuteAsync(httpContext);
        }
    }
}