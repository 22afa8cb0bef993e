using System.Net;
using System.Text;
using System.Text.Json.Nodes;

using Xunit;

namespace MetaService.Pools.Tests;

/// <summary>Each test gets its own server and store: send requests, read what the store holds.</summary>
public abstract class ApiTests : IAsyncDisposable
{
    protected ApiTests(params (string Key, string Value)[] settings)
    {
        Factory = new MetaServiceFactory(settings);
        Client = Factory.CreateClient();
    }

    protected MetaServiceFactory Factory { get; }

    protected HttpClient Client { get; }

    protected static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, string? json = null, string? tenant = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        if (tenant is not null)
        {
            request.Headers.Add("X-Tenant-Id", tenant);
        }

        using var response = await Client.SendAsync(request, Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    /// <summary>The value of a key as JSON, or null when the key is absent.</summary>
    protected async Task<JsonNode?> StoredAsync(string key)
    {
        var kv = await Factory.Store.GetAsync(key, Cancel);
        return kv is null ? null : JsonNode.Parse(kv.Value);
    }

    protected async Task<int> CountKeysAsync(string prefix) => (await Factory.Store.RangeAsync(prefix, cancellationToken: Cancel)).Items.Count;

    /// <summary>Registers a function the way clients do; faas functions get the draft version <c>latest</c>.</summary>
    protected async Task CreateFunctionAsync(string name, string kind = "faas", string? tenant = null)
    {
        var body = $$"""{"name":"{{name}}","runtime":"python3.9","handler":"handler.handler","kind":"{{kind}}","cpu":300,"memory":128,"timeout":60}""";
        var (status, answer) = await SendAsync(HttpMethod.Post, "/serverless/v1/functions", body, tenant);
        Assert.True(status == HttpStatusCode.OK, $"creating {name} answered {(int)status} {answer?.ToJsonString()}");
    }

    protected static void AssertJson(string expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"expected {expected}\n  actual {actual?.ToJsonString()}");

    protected static void AssertError(HttpStatusCode expectedStatus, int expectedCode, string expectedMessage, (HttpStatusCode Status, JsonNode? Body) actual)
    {
        Assert.Equal(expectedStatus, actual.Status);
        AssertJson($$"""{"code":{{expectedCode}},"message":{{JsonValue.Create(expectedMessage)!.ToJsonString()}}}""", actual.Body);
    }
}