using System.Net;
using System.Text.Json.Nodes;

namespace MetaService.Server.Tests;

/// <summary>A write etcd refuses as too large (over its <c>--max-request-bytes</c>, 1.5 MiB by default) is the caller's:
/// 413 with 4104, not 503 "may or may not have been applied", and nothing is stored.</summary>
public sealed class TooLargeTests : IAsyncLifetime
{
    private readonly MetaServiceFactory _factory = new();

    public ValueTask InitializeAsync()
    {
        // MetaService's own limits lifted, so that the write reaches etcd.
        _factory.Settings["Server:MaxRequestBodyBytes"] = "4194304";
        _factory.Settings["Meta:RecordBytesMax"] = "67108864";
        _factory.Settings["Meta:EnvironmentBytesMax"] = "4194304";
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    /// <summary>A write between etcd's limit and gRPC's (1.5 to 2 MiB: "request is too large"), and one past both
    /// (gRPC's "message larger than max").</summary>
    [Theory]
    [InlineData(140_000)]
    [InlineData(400_000)]
    public async Task AWriteEtcdRefusesAsTooLarge_Answers413And4104(int escaped)
    {
        using var api = _factory.CreateApi();
        var body = Bodies.Yrlib(Names.Yrlib());
        // Characters that JSON escapes six times over (\u003C), in the record and again in the platform's value.
        body["environment"] = new JsonObject { ["A"] = new string('<', escaped) };

        using var response = await _factory.Store.NothingWrittenAsync(() => api.CreateAsync(body));

        var message = await Wire.AssertErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, 4104);
        Assert.DoesNotContain("may or may not", message, StringComparison.Ordinal);
    }
}