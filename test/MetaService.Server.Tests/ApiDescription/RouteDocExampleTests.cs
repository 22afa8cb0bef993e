using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

using MetaService.Server.ApiDescription;

using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace MetaService.Server.Tests.ApiDescription;

/// <summary>The examples of every route's description are true to the wire: each answer example is what the server
/// writes for the body type it documents (read and written again through the type's own JSON context, it is unchanged),
/// and every operation has an operationId made by the one rule.</summary>
public sealed class RouteDocExampleTests : IAsyncLifetime
{
    private readonly MetaServiceFactory _factory = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Fact]
    public void AnswerExamples_AreWhatTheWireContextWritesForTheirType()
    {
        var resolvers = _factory.Services.GetRequiredService<IOptions<HttpJsonOptions>>().Value.SerializerOptions.TypeInfoResolverChain.OfType<JsonSerializerContext>().ToList();
        var examples = _factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .SelectMany(e => e.Metadata.OfType<RouteDoc>().TakeLast(1).SelectMany(d => d.Responses.Select(r => (Route: e.DisplayName, Response: r))))
            .Where(x => x.Response is { BodyType: not null, Example: not null, ContentType: "application/json" })
            .ToList();

        var changed = examples.Where(x => !RoundTrips(x.Response.Example!, x.Response.BodyType!, resolvers)).Select(x => $"{x.Route} {x.Response.Status}").Distinct().ToList();

        Assert.NotEmpty(examples);
        Assert.Empty(changed);
    }

    [Fact]
    public async Task EveryOperation_HasTheOperationIdOfItsMethodAndPath()
    {
        var document = await _factory.OpenApiAsync();

        var operations = (from path in document["paths"]!.AsObject()
                          from operation in path.Value!.AsObject()
                          select (Method: operation.Key, Path: path.Key, Id: (string?)operation.Value!["operationId"])).ToList();

        Assert.All(operations, o => Assert.Equal(OperationConventions.OperationId(o.Method, o.Path), o.Id));
        Assert.Equal(operations.Count, operations.Select(o => o.Id).Distinct().Count());
        Assert.Contains(operations, o => o.Id == "getServerlessV1FunctionsNameVersions");
        Assert.Contains(operations, o => o.Id == "getRoot");
    }

    /// <summary>Whether <paramref name="example"/>, read as <paramref name="type"/> and written again by the context
    /// that owns the type (the first in the chain that knows it, as for the server), is the same JSON.</summary>
    private static bool RoundTrips(string example, Type type, IEnumerable<JsonSerializerContext> resolvers)
    {
        var typeInfo = resolvers.Select(c => c.GetTypeInfo(type)).First(t => t is not null)!;
        var written = JsonSerializer.SerializeToNode(JsonSerializer.Deserialize(example, typeInfo), typeInfo);
        return JsonNode.DeepEquals(JsonNode.Parse(example), written);
    }
}