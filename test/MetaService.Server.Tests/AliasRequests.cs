using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

using MetaService.Core.Storage;

namespace MetaService.Server.Tests;

/// <summary>The alias routes' requests, a function with published versions to route to, and the published key.</summary>
public static class AliasRequests
{
    public static string AliasesPath(this Api api, string name, string? alias = null) =>
        $"{api.Root}/{Uri.EscapeDataString(name)}/aliases" + (alias is null ? "" : "/" + Uri.EscapeDataString(alias));

    /// <summary>Creates a faas function and publishes <paramref name="versions"/> of it; returns its name.</summary>
    public static async Task<string> FunctionWithVersionsAsync(this Api api, params string[] versions)
    {
        var name = Names.Faas();
        var revisionId = (string)(await api.CreateOkAsync(Bodies.Faas(name)))["revisionId"]!;
        foreach (var version in versions)
        {
            await api.PublishOkAsync(name, revisionId, version);
        }

        return name;
    }

    public static Task<HttpResponseMessage> CreateAliasAsync(this Api api, string name, string body, params (string Name, string Value)[] headers) =>
        api.SendAsync(HttpMethod.Post, api.AliasesPath(name), body, "application/json", headers);

    public static Task<HttpResponseMessage> UpdateAliasAsync(this Api api, string name, string alias, string body, params (string Name, string Value)[] headers) =>
        api.SendAsync(HttpMethod.Put, api.AliasesPath(name, alias), body, "application/json", headers);

    public static Task<HttpResponseMessage> DeleteAliasAsync(this Api api, string name, string alias, params (string Name, string Value)[] headers) =>
        api.SendAsync(HttpMethod.Delete, api.AliasesPath(name, alias), null, null, headers);

    public static Task<HttpResponseMessage> RollbackAsync(this Api api, string name, string alias, params (string Name, string Value)[] headers) =>
        api.SendAsync(HttpMethod.Post, api.AliasesPath(name, alias) + "/rollback", null, null, headers);

    public static Task<HttpResponseMessage> GetAliasAsync(this Api api, string name, string alias) =>
        api.SendAsync(HttpMethod.Get, api.AliasesPath(name, alias), null);

    /// <summary>Creates an alias and returns the <c>result</c>, failing the test unless it is 200.</summary>
    public static async Task<JsonNode> CreateAliasOkAsync(this Api api, string name, string body)
    {
        using var response = await api.CreateAliasAsync(name, body);
        return (await Wire.OkAsync(response))["result"]!;
    }

    public static async Task<JsonNode> UpdateAliasOkAsync(this Api api, string name, string alias, string body)
    {
        using var response = await api.UpdateAliasAsync(name, alias, body);
        return (await Wire.OkAsync(response))["result"]!;
    }

    public static async Task<JsonNode> GetAliasOkAsync(this Api api, string name, string alias)
    {
        using var response = await api.GetAliasAsync(name, alias);
        return (await Wire.OkAsync(response))["result"]!;
    }

    public static string PublishedKey(string name, string alias, string tenant = "default") =>
        $"/sn/aliases/business/yrk/tenant/{tenant}/function/{name}/{alias}";

    /// <summary>The value at the published key, read from the server's store, or null when the key is absent.</summary>
    public static async Task<JsonElement?> PublishedAsync(this IMetaStore store, string name, string alias)
    {
        var kv = await store.GetAsync(PublishedKey(name, alias), TestContext.Current.CancellationToken);
        return kv is null ? null : JsonDocument.Parse(kv.Value).RootElement.Clone();
    }

    public static async Task AssertStatusAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
    }

    public static string Json(object value) => JsonSerializer.Serialize(value);

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}