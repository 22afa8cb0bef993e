using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

using MetaService.Core.Functions;

namespace MetaService.Client;

/// <summary>
/// A typed client of the meta_service wire contract (MetaService or openYuanrong's own): the function
/// routes, reserved instances and pod pools. A refusal throws <see cref="MetaClientException"/> with the
/// server's code, message and HTTP status; an unreachable server throws <see cref="HttpRequestException"/>.
/// </summary>
public sealed partial class MetaClient(HttpClient http, MetaClientOptions? options = null)
{
    private const string Functions = "serverless/v1/functions";
    private const string ReserveInstance = "serverless/v1/functions/reserve-instance";
    private const string PodPools = "serverless/v1/podpools";
    private const string Tokens = "serverless/v1/tokens";

    private readonly MetaClientOptions _options = options ?? new MetaClientOptions();

    public Task<FunctionView> CreateFunctionAsync(FunctionRequest request, CancellationToken cancellationToken = default) =>
        FunctionAsync(HttpMethod.Post, Functions, Body(request), cancellationToken);

    /// <summary>One version; the draft when <paramref name="versionNumber"/> is null.</summary>
    public Task<FunctionView> GetFunctionAsync(string name, string? versionNumber = null, CancellationToken cancellationToken = default) =>
        FunctionAsync(HttpMethod.Get, PathOf(name) + Query(("versionNumber", versionNumber)), null, cancellationToken);

    /// <summary>Updates the draft; <paramref name="request"/> carries the revisionId it was read at.</summary>
    public Task<FunctionView> UpdateFunctionAsync(string name, FunctionRequest request, CancellationToken cancellationToken = default) =>
        FunctionAsync(HttpMethod.Put, PathOf(name), Body(request), cancellationToken);

    /// <summary>Applies a JSON Merge Patch (RFC 7396) to the draft; with <paramref name="ifMatch"/> (a revisionId) only while
    /// the draft is at that revision (else 412, 4134).</summary>
    public async Task<FunctionView> PatchFunctionAsync(string name, JsonObject patch, string? ifMatch = null, CancellationToken cancellationToken = default)
    {
        var content = new StringContent(patch.ToJsonString(), System.Text.Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/merge-patch+json");
        using var request = Request(HttpMethod.Patch, PathOf(name), content);
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", $"\"{ifMatch}\"");
        }

        var answer = await SendAsync(request, Info<FunctionAnswer>(), cancellationToken);
        return answer.Function ?? answer.Result ?? throw new MetaProtocolException($"PATCH {PathOf(name)}: the answer carries no function");
    }

    public Task<FunctionView> PublishAsync(string name, PublishRequest request, CancellationToken cancellationToken = default) =>
        FunctionAsync(HttpMethod.Post, PathOf(name) + "/versions", Body(request), cancellationToken);

    /// <summary>Deletes every version, or one published version.</summary>
    public async Task DeleteFunctionAsync(string name, string? versionNumber = null, CancellationToken cancellationToken = default) =>
        await SendAsync(HttpMethod.Delete, PathOf(name) + Query(("versionNumber", versionNumber)), null, Info<StatusAnswer>(), cancellationToken);

    /// <summary>One page of the list route, as the server answers it.</summary>
    public async Task<ListPage> ListFunctionsPageAsync(string? name, string? versionNumber, int pageIndex, int pageSize, CancellationToken cancellationToken = default)
    {
        var query = Query(("name", name), ("versionNumber", versionNumber), ("pageIndex", Text(pageIndex)), ("pageSize", Text(pageSize)));
        var answer = await SendAsync(HttpMethod.Get, Functions + query, null, Info<ListAnswer>(), cancellationToken);
        return answer.Result ?? new ListPage(null, 0);
    }

    /// <summary>Every row of the list route (every version of every function of the tenant, filtered), page after page: with
    /// <c>limit</c> and <c>continue</c> (key order; nothing skipped or repeated while the list changes), or, from a server
    /// that answers no continue token (openYuanrong's), by page index.</summary>
    public async Task<List<FunctionView>> ListFunctionsAsync(string? name = null, string? versionNumber = null, CancellationToken cancellationToken = default) =>
        await KeyedPagesAsync(async token =>
        {
            var query = Query(("name", name), ("versionNumber", versionNumber), ("limit", Text(_options.PageSize)), ("continue", token));
            var page = (await SendAsync(HttpMethod.Get, Functions + query, null, Info<ListAnswer>(), cancellationToken)).Result;
            return (page?.Functions, page?.Continue);
        })
        ?? await AllPagesAsync(async index =>
        {
            var page = await ListFunctionsPageAsync(name, versionNumber, index, _options.PageSize, cancellationToken);
            return (page.Functions, page.Total);
        });

    /// <summary>Every version of one function, the draft included, page after page (as <see cref="ListFunctionsAsync"/>).</summary>
    public async Task<List<FunctionView>> ListVersionsAsync(string name, CancellationToken cancellationToken = default) =>
        await KeyedPagesAsync(async token =>
        {
            var query = Query(("limit", Text(_options.PageSize)), ("continue", token));
            var answer = await SendAsync(HttpMethod.Get, PathOf(name) + "/versions" + query, null, Info<VersionsAnswer>(), cancellationToken);
            return (answer.Functions, answer.Continue);
        })
        ?? await AllPagesAsync(async index =>
        {
            var query = Query(("pageIndex", Text(index)), ("pageSize", Text(_options.PageSize)));
            var answer = await SendAsync(HttpMethod.Get, PathOf(name) + "/versions" + query, null, Info<VersionsAnswer>(), cancellationToken);
            return (answer.Functions, answer.PageInfo?.Total ?? 0);
        });

    public Task<ReserveInstanceAnswer> CreateReserveInstanceAsync(ReserveInstanceRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, ReserveInstance, Body(request), Info<ReserveInstanceAnswer>(), cancellationToken);

    public Task<ReserveInstanceAnswer> UpdateReserveInstanceAsync(ReserveInstanceRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, ReserveInstance, Body(request), Info<ReserveInstanceAnswer>(), cancellationToken);

    /// <summary>The labels of one function version. The route takes a JSON body on GET, as the original does.</summary>
    public Task<ReserveInstanceList> GetReserveInstancesAsync(string funcName, string version, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, ReserveInstance, Body(new ReserveInstanceQuery { FuncName = funcName, Version = version }), Info<ReserveInstanceList>(), cancellationToken);

    /// <summary>Deletes one label, or every label of the function version when <paramref name="instanceLabel"/> is null.</summary>
    public async Task DeleteReserveInstanceAsync(string funcName, string version, string? instanceLabel = null, CancellationToken cancellationToken = default) =>
        await SendAsync(HttpMethod.Delete, ReserveInstance, Body(new ReserveInstanceQuery { FuncName = funcName, Version = version, InstanceLabel = instanceLabel }), Info<StatusAnswer>(), cancellationToken);

    public async Task<PoolCreateResult?> CreatePoolsAsync(IEnumerable<Pool> pools, CancellationToken cancellationToken = default) =>
        (await SendAsync(HttpMethod.Post, PodPools, Body(new PoolCreateRequest([.. pools]), PoolJson.Default.PoolCreateRequest), PoolJson.Default.PoolCreateAnswer, cancellationToken)).Result;

    /// <summary>One page of pools (<paramref name="offset"/> is a 1-based page index, as the route has it).</summary>
    public async Task<PoolPage> GetPoolsPageAsync(PoolFilter filter, int offset, int limit, CancellationToken cancellationToken = default)
    {
        var query = Query(("id", filter.Id), ("group", filter.Group), ("offset", Text(offset)), ("limit", Text(limit)));
        return (await SendAsync(HttpMethod.Get, PodPools + query, null, PoolJson.Default.PoolPageAnswer, cancellationToken)).Result ?? new PoolPage(0, null);
    }

    /// <summary>Every pool matching the filters, page after page.</summary>
    public Task<List<Pool>> GetPoolsAsync(PoolFilter filter, CancellationToken cancellationToken = default) =>
        AllPagesAsync(async index =>
        {
            var page = await GetPoolsPageAsync(filter, index, _options.PageSize, cancellationToken);
            return (page.Pools, page.Count);
        });

    public async Task UpdatePoolAsync(string id, PoolUpdateRequest request, CancellationToken cancellationToken = default) =>
        await SendAsync(HttpMethod.Put, $"{PodPools}/{Uri.EscapeDataString(id)}", Body(request, PoolJson.Default.PoolUpdateRequest), Info<StatusAnswer>(), cancellationToken);

    /// <summary>Deletes (marks deleted) the pools matching the filters; at least one filter is needed.</summary>
    public async Task DeletePoolsAsync(PoolFilter filter, CancellationToken cancellationToken = default) =>
        await SendAsync(HttpMethod.Delete, PodPools + Query(("id", filter.Id), ("group", filter.Group)), null, Info<StatusAnswer>(), cancellationToken);

    /// <summary>Creates an API token (admins only); the answer is the only place its <see cref="ApiToken.Token"/> appears.</summary>
    public async Task<ApiToken> CreateTokenAsync(ApiTokenRequest request, CancellationToken cancellationToken = default) =>
        (await SendAsync(HttpMethod.Post, Tokens, Body(request, TokenJson.Default.ApiTokenRequest), TokenJson.Default.ApiTokenAnswer, cancellationToken)).Token
            ?? throw new MetaProtocolException("POST /serverless/v1/tokens: the answer carries no token");

    public async Task<List<ApiToken>> ListTokensAsync(CancellationToken cancellationToken = default) =>
        (await SendAsync(HttpMethod.Get, Tokens, null, TokenJson.Default.ApiTokenList, cancellationToken)).Tokens ?? [];

    public async Task RevokeTokenAsync(string id, CancellationToken cancellationToken = default) =>
        await SendAsync(HttpMethod.Delete, $"{Tokens}/{Uri.EscapeDataString(id)}", null, Info<StatusAnswer>(), cancellationToken);

    private async Task<FunctionView> FunctionAsync(HttpMethod method, string path, HttpContent? body, CancellationToken cancellationToken)
    {
        var answer = await SendAsync(method, path, body, Info<FunctionAnswer>(), cancellationToken);
        return answer.Function ?? answer.Result ?? throw new MetaProtocolException($"{method} {path}: the answer carries no function");
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? body, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        using var request = Request(method, path, body);
        return await SendAsync(request, typeInfo, cancellationToken);
    }

    /// <summary>A request to <paramref name="path"/>; a write of a route that has a dry run asks for it when
    /// <see cref="MetaClientOptions.DryRun"/> is set (tokens have none: their writes are never sent as one).</summary>
    private HttpRequestMessage Request(HttpMethod method, string path, HttpContent? body)
    {
        if (_options.DryRun && method != HttpMethod.Get && !path.StartsWith(Tokens, StringComparison.Ordinal))
        {
            path += (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "dryRun=true";
        }

        return new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = body };
    }

    private async Task<T> SendAsync<T>(HttpRequestMessage request, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        var method = request.Method;
        var path = request.RequestUri!.OriginalString;
        if (!string.IsNullOrEmpty(_options.Tenant))
        {
            request.Headers.Add("X-Tenant-Id", _options.Tenant);
        }

        if (!string.IsNullOrEmpty(_options.Token))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.Token);
        }

        if (!string.IsNullOrEmpty(_options.Product))
        {
            request.Headers.Add("X-Product-Id", _options.Product);
        }

        using var response = await http.SendAsync(request, cancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw Refusal(response.StatusCode, bytes, $"{method} {path}");
        }

        var answer = Parse(bytes, typeInfo, $"{method} {path}");
        return answer is StatusAnswer { Code: not 0 } or ListAnswer { Code: not 0 } or FunctionAnswer { Code: not 0 } or ReserveInstanceAnswer { Code: not 0 }
            ? throw Refusal(response.StatusCode, bytes, $"{method} {path}")
            : answer;
    }

    private static MetaClientException Refusal(HttpStatusCode status, byte[] bytes, string what)
    {
        try
        {
            var error = bytes.Length == 0 ? null : JsonSerializer.Deserialize(bytes, Info<StatusAnswer>());
            if (error is not null)
            {
                return new MetaClientException(status, error.Code, error.Message ?? "");
            }
        }
        catch (JsonException)
        {
            // Not a {code, message} body: a proxy's or a framework's page. The status still says what happened.
        }

        var text = System.Text.Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 200)).Trim();
        return new MetaClientException(status, (int)status, text.Length > 0 ? text : $"{what} answered {(int)status} {status}");
    }

    private static T Parse<T>(byte[] bytes, JsonTypeInfo<T> typeInfo, string what)
    {
        try
        {
            return (bytes.Length == 0 ? default : JsonSerializer.Deserialize(bytes, typeInfo))
                ?? throw new MetaProtocolException($"{what}: the answer is empty");
        }
        catch (JsonException e)
        {
            throw new MetaProtocolException($"{what}: the answer is not the expected JSON: {e.Message}", e);
        }
    }

    /// <summary>Every row of a list paged with <c>continue</c> tokens; null when the first answer carries no token (a server
    /// that ignores <c>limit</c>). Each page starts after the last key of the one before, so the pages end.</summary>
    private static async Task<List<T>?> KeyedPagesAsync<T>(Func<string?, Task<(List<T>? Rows, string? Next)>> page)
    {
        var all = new List<T>();
        string? token = null;
        while (true)
        {
            var (rows, next) = await page(token);
            if (next is null)
            {
                return token is null ? null : throw new MetaClientException(0, 0, "the server stopped answering continue tokens in the middle of a list");
            }

            all.AddRange(rows ?? []);
            if (next.Length == 0)
            {
                return all;
            }

            token = next;
        }
    }

    private static async Task<List<T>> AllPagesAsync<T>(Func<int, Task<(List<T>? Rows, int Total)>> page)
    {
        var all = new List<T>();
        for (var index = 1; ; index++)
        {
            var (rows, total) = await page(index);
            if (rows is null || rows.Count == 0)
            {
                return all;
            }

            all.AddRange(rows);
            if (all.Count >= total)
            {
                return all;
            }
        }
    }

    private static JsonTypeInfo<T> Info<T>() => ClientJson.Info<T>(ClientJson.Lenient);

    private static ByteArrayContent Body<T>(T value) => Body(value, Info<T>());

    private static ByteArrayContent Body<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value, typeInfo));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    private static string PathOf(string name) => $"{Functions}/{Uri.EscapeDataString(name)}";

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Query(params (string Key, string? Value)[] parts)
    {
        var given = parts.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value!)}").ToList();
        return given.Count == 0 ? "" : "?" + string.Join('&', given);
    }
}