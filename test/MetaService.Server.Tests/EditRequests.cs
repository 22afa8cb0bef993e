using System.Text;
using System.Text.Json.Nodes;

using MetaService.Core.Storage;

namespace MetaService.Server.Tests;

/// <summary>Requests with the editing headers (If-Match, If-None-Match, merge-patch bodies), and what the store holds.</summary>
public static class EditRequests
{
    public const string MergePatch = "application/merge-patch+json";

    public static async Task<HttpResponseMessage> SendAsync(this Api api, HttpMethod method, string path, string? body, string? contentType, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = contentType is null ? null : System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        }

        foreach (var (name, value) in headers)
        {
            Assert.True(request.Headers.TryAddWithoutValidation(name, value));
        }

        return await api.Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public static Task<HttpResponseMessage> PatchAsync(this Api api, string name, string patch, string query = "", params (string Name, string Value)[] headers) =>
        api.SendAsync(HttpMethod.Patch, $"{api.Root}/{Uri.EscapeDataString(name)}{query}", patch, MergePatch, headers);

    /// <summary>Creates a faas function under a fresh name: its name and its draft's revisionId.</summary>
    public static async Task<(string Name, string RevisionId)> CreateDraftAsync(this Api api)
    {
        var name = Names.Faas();
        return (name, (string)(await api.CreateOkAsync(Bodies.Faas(name)))["revisionId"]!);
    }

    public static (string, string) IfMatch(string value) => ("If-Match", value);

    public static string Tag(string revisionId) => $"\"{revisionId}\"";

    /// <summary>The ETag of an answer, or null.</summary>
    public static string? ETagOf(HttpResponseMessage response) => response.Headers.ETag?.ToString();

    /// <summary>The store's revision and every key with its mod revision: equal snapshots mean nothing was written.</summary>
    public static async Task<string> SnapshotAsync(this IMetaStore store)
    {
        var revision = await store.GetRevisionAsync(TestContext.Current.CancellationToken);
        var range = await store.RangeAsync("/", cancellationToken: TestContext.Current.CancellationToken);
        return revision + "\n" + string.Join("\n", range.Items.Select(kv => $"{kv.Key}@{kv.ModRevision}"));
    }

    /// <summary>An answer with the members that carry the time of the write left out (revisionId, times).</summary>
    public static string WithoutTimes(string body)
    {
        if (JsonNode.Parse(body) is not { } root)
        {
            return body;
        }

        Strip(root);
        return root.ToJsonString();
    }

    private static void Strip(JsonNode node)
    {
        if (node is JsonObject members)
        {
            foreach (var name in new[] { "revisionId", "createTime", "updateTime", "lastModified", "Published", "created" })
            {
                members.Remove(name);
            }

            foreach (var (_, child) in members.ToList())
            {
                if (child is not null)
                {
                    Strip(child);
                }
            }
        }
        else if (node is JsonArray items)
        {
            foreach (var item in items.OfType<JsonNode>())
            {
                Strip(item);
            }
        }
    }
}