using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MetaService.Server.Tests;

/// <summary>Sends the function routes' requests with raw JSON bodies, as openYuanrong's clients do.</summary>
public sealed class Api(HttpClient client, string root = Api.ServerlessRoot) : IDisposable
{
    public const string ServerlessRoot = "/serverless/v1/functions";
    public const string AdminRoot = "/admin/v1/functions";

    public HttpClient Client => client;

    public string Root => root;

    public Task<HttpResponseMessage> CreateAsync(JsonNode body) => SendAsync(HttpMethod.Post, root, body.ToJsonString());

    public Task<HttpResponseMessage> GetAsync(string name, string? versionNumber = null) =>
        SendAsync(HttpMethod.Get, PathOf(name) + Query("versionNumber", versionNumber), null);

    public Task<HttpResponseMessage> UpdateAsync(string name, JsonNode body) => SendAsync(HttpMethod.Put, PathOf(name), body.ToJsonString());

    public Task<HttpResponseMessage> PublishAsync(string name, JsonNode body) => SendAsync(HttpMethod.Post, PathOf(name) + "/versions", body.ToJsonString());

    public Task<HttpResponseMessage> DeleteAsync(string name, string? versionNumber = null) =>
        SendAsync(HttpMethod.Delete, PathOf(name) + Query("versionNumber", versionNumber), null);

    public Task<HttpResponseMessage> ListAsync(string query = "") => SendAsync(HttpMethod.Get, root + query, null);

    public Task<HttpResponseMessage> ListVersionsAsync(string name, string query = "") =>
        SendAsync(HttpMethod.Get, PathOf(name) + "/versions" + query, null);

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? body)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public async Task<HttpResponseMessage> SendBytesAsync(HttpMethod method, string path, byte[] body)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>Creates a function and returns the <c>function</c> of the answer, failing the test unless it is 200.</summary>
    public async Task<JsonNode> CreateOkAsync(JsonNode body)
    {
        using var response = await CreateAsync(body);
        return (await Wire.OkAsync(response))["function"]!;
    }

    /// <summary>Reads one version and returns its <c>function</c>, failing the test unless it is 200.</summary>
    public async Task<JsonNode> GetOkAsync(string name, string? versionNumber = null)
    {
        using var response = await GetAsync(name, versionNumber);
        return (await Wire.OkAsync(response))["function"]!;
    }

    /// <summary>Updates the draft and returns the <c>result</c> of the answer (what yrcli reads).</summary>
    public async Task<JsonNode> UpdateOkAsync(string name, JsonNode body)
    {
        using var response = await UpdateAsync(name, body);
        return (await Wire.OkAsync(response))["result"]!;
    }

    /// <summary>Publishes a version and returns its <c>function</c>.</summary>
    public async Task<JsonNode> PublishOkAsync(string name, string revisionId, string versionNumber, string? kind = null, string? versionDesc = null)
    {
        var body = new JsonObject { ["revisionId"] = revisionId, ["versionNumber"] = versionNumber };
        if (kind is not null)
        {
            body["kind"] = kind;
        }

        if (versionDesc is not null)
        {
            body["versionDesc"] = versionDesc;
        }

        using var response = await PublishAsync(name, body);
        return (await Wire.OkAsync(response))["function"]!;
    }

    /// <summary>Updates the draft without changing it, so that it can be published again (a revisionId is
    /// published once); returns the new revisionId.</summary>
    public async Task<string> TouchAsync(string name, string revisionId)
    {
        var draft = await GetOkAsync(name);
        var body = new JsonObject { ["revisionId"] = revisionId, ["storageType"] = (string?)draft["storageType"], ["codePath"] = (string?)draft["codePath"] };
        return (string)(await UpdateOkAsync(name, body))["revisionId"]!;
    }

    /// <summary>The <c>result.functions</c> rows of a list (empty when the server answers null).</summary>
    public async Task<List<JsonNode>> ListRowsAsync(string query)
    {
        using var response = await ListAsync(query);
        var functions = (await Wire.OkAsync(response))["result"]!["functions"];
        return functions is null ? [] : [.. functions.AsArray().Select(n => n!)];
    }

    public void Dispose() => client.Dispose();

    /// <summary>The path of function <paramref name="name"/> under this API's root (the name escaped).</summary>
    public string PathOf(string name) => $"{root}/{Uri.EscapeDataString(name)}";

    private static string Query(string key, string? value) => value is null ? "" : $"?{key}={Uri.EscapeDataString(value)}";
}

/// <summary>Reads answers: success bodies and the <c>{code, message}</c> error bodies.</summary>
public static class Wire
{
    public static async Task<JsonNode> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return JsonNode.Parse(text) ?? throw new InvalidOperationException("the body is JSON null");
    }

    /// <summary>Asserts 200 and returns the body.</summary>
    public static async Task<JsonNode> OkAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>Asserts the status and an error body <c>{code, message}</c> with an integer code and a string
    /// message; returns the message.</summary>
    public static async Task<string> AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, int code)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        var body = JsonNode.Parse(text)!;
        Assert.Equal(JsonValueKind.Number, body["code"]!.GetValueKind());
        Assert.Equal(JsonValueKind.String, body["message"]!.GetValueKind());
        Assert.Equal(code, (int)body["code"]!);
        return (string)body["message"]!;
    }

    /// <summary>Asserts that exactly one of <paramref name="responses"/> is 200 and every other one is
    /// <paramref name="status"/> with <paramref name="code"/>; disposes them all. Returns the winner's body.</summary>
    public static async Task<JsonNode> AssertOneWinnerAsync(HttpResponseMessage[] responses, HttpStatusCode status, int code)
    {
        try
        {
            var statuses = string.Join(",", responses.GroupBy(r => (int)r.StatusCode).Select(g => $"{g.Key}x{g.Count()}"));
            Assert.True(responses.Count(r => r.StatusCode == HttpStatusCode.OK) == 1, $"expected exactly one 200, got {statuses}");
            foreach (var loser in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
            {
                await AssertErrorAsync(loser, status, code);
            }

            return await JsonAsync(responses.Single(r => r.StatusCode == HttpStatusCode.OK));
        }
        finally
        {
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
    }

    /// <summary>Asserts a 4xx status with a <c>{code, message}</c> body, whatever the code.</summary>
    public static async Task AssertClientErrorAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"expected 4xx, got {(int)response.StatusCode}: {text}");
        var body = JsonNode.Parse(text)!;
        Assert.Equal(JsonValueKind.Number, body["code"]!.GetValueKind());
        Assert.Equal(JsonValueKind.String, body["message"]!.GetValueKind());
    }
}