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