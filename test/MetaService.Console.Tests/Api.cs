using System.Text.Json.Nodes;

namespace MetaService.Console.Tests;

/// <summary>What the API answers about a tenant's functions (as the admin), to check what the console wrote.</summary>
public static class Api
{
    public static string Path(string name) => "/serverless/v1/functions/" + Uri.EscapeDataString(name);

    /// <summary>The draft as the API's get answers it.</summary>
    public static async Task<JsonObject> FunctionAsync(ConsoleServer server, string tenant, string name) =>
        (JsonObject)(await server.SendAsync(HttpMethod.Get, Path(name), tenant, null))["function"]!;

    /// <summary>How many function versions the tenant has.</summary>
    public static async Task<int> CountAsync(ConsoleServer server, string tenant) =>
        (int)(await server.SendAsync(HttpMethod.Get, "/serverless/v1/functions", tenant, null))["result"]!["total"]!;

    /// <summary>The version numbers of a function, as its versions list answers them (<c>{"functions":[…],"pageInfo":{…}}</c>).</summary>
    public static async Task<List<string>> VersionsAsync(ConsoleServer server, string tenant, string name)
    {
        var answer = await server.SendAsync(HttpMethod.Get, Path(name) + "/versions", tenant, null);
        return [.. (answer["functions"] as JsonArray ?? []).Select(f => (string)f!["versionNumber"]!)];
    }

    /// <summary>A faas function made through the API; its revisionId.</summary>
    public static Task<string> CreateAsync(ConsoleServer server, string tenant, string name) =>
        server.CreateFunctionAsync(tenant, Bodies.Faas(name, new JsonObject { ["A"] = "1", ["SECRET"] = "s3cr3t-value" }));
}