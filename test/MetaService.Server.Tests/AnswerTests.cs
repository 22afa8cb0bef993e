using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

using MetaService.Core;
using MetaService.Core.Functions;
using MetaService.Server.Wire;

using Microsoft.Extensions.DependencyInjection;

namespace MetaService.Server.Tests;

/// <summary>The read routes write cached bytes; these are exactly what the wire's envelopes serialize to.</summary>
public sealed class AnswerTests(MetaServiceFactory factory) : IClassFixture<MetaServiceFactory>
{
    [Fact]
    public async Task Get_AnswersTheBytesOfTheFunctionEnvelope()
    {
        using var api = factory.CreateApi();
        var name = Names.Yrlib();
        var body = Bodies.Yrlib(name);
        body["description"] = "描述 \"quoted\" <b>&";
        await api.CreateOkAsync(body);
        var view = await ViewAsync(name, null);

        using var response = await api.GetAsync(name);

        var expected = JsonSerializer.Serialize(new FunctionEnvelope(view), WireJson.Relaxed.FunctionEnvelope);
        Assert.Equal(expected, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
    }

    [Fact]
    public async Task CreateUpdateAndPublish_AnswerTheBytesOfTheirEnvelopes()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var body = Bodies.Faas(name);
        body["description"] = "描述 \"quoted\" <b>&";

        using var created = await api.CreateAsync(body);
        var draft = await ViewAsync(name, "latest");
        var createdText = await Text(created);
        using var updated = await api.UpdateAsync(name, Bodies.Update(draft.RevisionId, "faas").With("description", "\"renamed 名\""));
        var updatedText = await Text(updated);
        var afterUpdate = await ViewAsync(name, "latest");
        using var published = await api.PublishAsync(name, new JsonObject { ["revisionId"] = afterUpdate.RevisionId, ["kind"] = "faas", ["versionNumber"] = "v1" });
        var publishedText = await Text(published);

        Assert.Equal(JsonSerializer.Serialize(new FunctionEnvelope(draft), WireJson.Relaxed.FunctionEnvelope), createdText);
        Assert.Equal(JsonSerializer.Serialize(new UpdateEnvelope(afterUpdate), WireJson.Relaxed.UpdateEnvelope), updatedText);
        Assert.Equal(JsonSerializer.Serialize(new FunctionEnvelope(await ViewAsync(name, "v1")), WireJson.Relaxed.FunctionEnvelope), publishedText);
        Assert.Equal("application/json; charset=utf-8", updated.Content.Headers.ContentType?.ToString());
    }

    /// <summary>The update answer is rendered in a buffer its thread keeps: a large answer (past what is kept) and then a
    /// small one are each exactly their envelope, with their own length and ETag.</summary>
    [Fact]
    public async Task Updates_OfALargeThenASmallFunction_AnswerEachItsOwnBytes()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        await api.CreateOkAsync(Bodies.Faas(name));
        var environment = new JsonObject();
        for (var i = 0; i < 60; i++)
        {
            environment[$"V{i}"] = new string((char)('a' + (i % 26)), 1000);
        }

        var large = await UpdateAndExpectAsync(api, name, Bodies.Update((await ViewAsync(name, "latest")).RevisionId, "faas").With("environment", environment.ToJsonString()));
        var small = await UpdateAndExpectAsync(api, name, Bodies.Update((await ViewAsync(name, "latest")).RevisionId, "faas").With("environment", """{"A":"1"}"""));

        Assert.True(large > 64 * 1024, $"the large answer is {large} bytes");
        Assert.True(small < 8 * 1024, $"the small answer is {small} bytes");
    }

    /// <summary>The environment and custom resources are stored with their keys in order (as Go writes a map) and read
    /// back so; a write answers them in that order too, not in the order of its request.</summary>
    [Fact]
    public async Task Writes_AnswerTheEnvironmentAndResources_InKeyOrder()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var created = await api.CreateOkAsync(Bodies.Faas(name).With("environment", """{"V2":"x","V10":"y","A":"z"}"""));
        var revisionId = (string)created["revisionId"]!;
        var updated = await api.UpdateOkAsync(name, Bodies.Update(revisionId, "faas").With("environment", """{"b":"1","B":"2","a":"3"}""")
            .With("customResources", """{"nvidia.com/gpu":1,"huawei.com/ascend":2}"""));

        Assert.Equal(["A", "V10", "V2"], Keys(created["environment"]!));
        Assert.Equal(["B", "a", "b"], Keys(updated["environment"]!));
        Assert.Equal(["huawei.com/ascend", "nvidia.com/gpu"], Keys(updated["customResources"]!));
    }

    private static string[] Keys(JsonNode map) => [.. map.AsObject().Select(member => member.Key)];

    /// <summary>Updates and asserts the answer's bytes, length and ETag against the draft as stored; returns the length.</summary>
    private async Task<int> UpdateAndExpectAsync(Api api, string name, JsonNode body)
    {
        using var updated = await api.UpdateAsync(name, body);
        var bytes = await updated.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        var draft = await ViewAsync(name, "latest");

        Assert.Equal(JsonSerializer.Serialize(new UpdateEnvelope(draft), WireJson.Relaxed.UpdateEnvelope), Encoding.UTF8.GetString(bytes));
        Assert.Equal(bytes.Length, updated.Content.Headers.ContentLength);
        Assert.Equal($"\"{draft.RevisionId}\"", updated.Headers.ETag?.ToString());
        return bytes.Length;
    }

    [Fact]
    public async Task List_AnswersTheBytesOfTheListEnvelope()
    {
        using var api = factory.CreateApi();
        var token = Names.Hex();
        var first = $"0-svc-fn{token}a";
        var second = $"0-svc-fn{token}b";
        await api.CreateOkAsync(Bodies.Yrlib(first));
        await api.CreateOkAsync(Bodies.Faas($"0@svc@fn{token}c"));
        await api.CreateOkAsync(Bodies.Yrlib(second));
        var views = new[] { await ViewAsync(second, null), await ViewAsync($"0@svc@fn{token}c", "latest"), await ViewAsync(first, null) };

        using var response = await api.ListAsync($"?name={token}");
        using var empty = await api.ListAsync($"?name=nomatch{token}");

        Assert.Equal(JsonSerializer.Serialize(new ListEnvelope(new ListResult(views, 3)), WireJson.Relaxed.ListEnvelope), await Text(response));
        Assert.Equal(JsonSerializer.Serialize(new ListEnvelope(new ListResult(null, 0)), WireJson.Relaxed.ListEnvelope), await Text(empty));
    }

    [Fact]
    public async Task ListVersions_AnswersTheBytesOfTheVersionsEnvelope()
    {
        using var api = factory.CreateApi();
        var name = Names.Yrlib();
        await api.CreateOkAsync(Bodies.Yrlib(name));
        var view = await ViewAsync(name, null);

        using var response = await api.ListVersionsAsync(name, "?pageIndex=1&pageSize=5");

        var expected = new VersionsEnvelope([view], new PageInfo("1", "5", 1));
        Assert.Equal(JsonSerializer.Serialize(expected, WireJson.Relaxed.VersionsEnvelope), await Text(response));
    }

    private static async Task<string> Text(HttpResponseMessage response) =>
        Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));

    private async Task<FunctionView> ViewAsync(string name, string? version)
    {
        var service = factory.Services.GetRequiredService<FunctionService>();
        var found = await service.GetAsync(Tenant.Default, name, version, null, TestContext.Current.CancellationToken);
        return found.Value!;
    }
}