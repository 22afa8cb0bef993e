using System.Net;
using System.Text.Json.Nodes;

namespace MetaService.Server.Tests.Observability;

public sealed class RedactionTests : IAsyncLifetime
{
    private readonly MetaServiceFactory _factory = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Fact]
    public async Task SecretEnvironmentValuesAndTokens_NeverReachTheLogs()
    {
        var (server, capture) = LogCapture.Attach(_factory);
        using var api = new Api(server.CreateClient());
        var name = Names.Faas();
        var body = Bodies.Faas(name);
        body["environment"] = new JsonObject { ["DB_PASSWORD"] = "pw-SECRET-1", ["API_TOKEN"] = "tok-SECRET-2" };
        body["storageType"] = "s3";
        body["s3CodePath"] = new JsonObject { ["bucketId"] = "b", ["objectId"] = "o", ["token"] = "s3-SECRET-3" };
        body["rootfs"] = new JsonObject { ["type"] = "s3", ["storageInfo"] = new JsonObject { ["endpoint"] = "http://s3.local", ["bucket"] = "rb", ["object"] = "ro", ["accessKey"] = "ak-SECRET-4", ["secretKey"] = "sk-SECRET-5" } };

        var created = await api.CreateOkAsync(body);
        var update = body.DeepClone().AsObject();
        update["revisionId"] = (string)created["revisionId"]!;
        var updated = await api.UpdateOkAsync(name, update);
        await api.PublishOkAsync(name, (string)updated["revisionId"]!, "v1", kind: "faas");
        await api.GetOkAsync(name);
        await api.ListRowsAsync("?name=" + Uri.EscapeDataString(name));
        using var wrongType = await api.SendAsync(HttpMethod.Post, Api.ServerlessRoot, """{"name":"0@svc@x","environment":{"PASSWORD":"pw-SECRET-6"},"cpu":"SECRET-7"}""");
        using var deleted = await api.DeleteAsync(name);

        await capture.WaitForAsync(l => l.StartsWith("MetaService.Access", StringComparison.Ordinal) && l.Contains("DELETE", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        Assert.Contains(capture.Lines, l => l.StartsWith("MetaService.Access", StringComparison.Ordinal) && l.Contains("POST", StringComparison.Ordinal));
        Assert.DoesNotContain(capture.Lines, l => l.Contains("SECRET", StringComparison.Ordinal));
        await server.DisposeAsync();
    }
}