using System.Net;
using System.Text.RegularExpressions;

namespace MetaService.Server.Tests.Observability;

public sealed partial class TraceIdTests : IAsyncLifetime
{
    private readonly MetaServiceFactory _factory = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Fact]
    public async Task GivenTraceId_IsEchoed()
    {
        using var client = _factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        request.Headers.Add("X-Trace-Id", "trace-given-1");

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal("trace-given-1", Assert.Single(response.Headers.GetValues("X-Trace-Id")));
    }

    [Fact]
    public async Task MissingTraceId_IsGenerated_OnErrorsToo()
    {
        using var client = _factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/serverless/v1/functions/" + Names.Yrlib(), UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Matches(Hex32(), Assert.Single(response.Headers.GetValues("X-Trace-Id")));
    }

    [Fact]
    public async Task UnsafeTraceId_IsReplaced()
    {
        using var client = _factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        request.Headers.TryAddWithoutValidation("X-Trace-Id", "a b {forged}");

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Matches(Hex32(), Assert.Single(response.Headers.GetValues("X-Trace-Id")));
    }

    [Fact]
    public async Task AccessLog_HasOneLinePerRequest_WithRouteStatusTenantCodeAndTrace()
    {
        var (server, capture) = LogCapture.Attach(_factory);
        using var client = server.CreateClient();
        var name = Names.Yrlib();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/serverless/v1/functions/" + name);
        request.Headers.Add("X-Trace-Id", "trace-access-1");
        request.Headers.Add("X-Tenant-Id", "tenant-access");

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        var line = await capture.WaitForAsync(l => l.StartsWith("MetaService.Access", StringComparison.Ordinal) && l.Contains("trace-access-1", StringComparison.Ordinal));
        Assert.Contains("GET /serverless/v1/functions/{name} 404 ", line, StringComparison.Ordinal);
        Assert.Contains("tenant=tenant-access code=4115 trace=trace-access-1", line, StringComparison.Ordinal);
        Assert.Contains("DurationMs=", line, StringComparison.Ordinal);
        Assert.Single(capture.Lines, l => l.StartsWith("MetaService.Access", StringComparison.Ordinal) && l.Contains("trace-access-1", StringComparison.Ordinal));
        Assert.DoesNotContain("scope:TraceId", line, StringComparison.Ordinal);
        await server.DisposeAsync();
    }

    [Fact]
    public async Task LinesLoggedWhileARequestRuns_CarryItsTraceIdInTheirScope()
    {
        var (server, capture) = LogCapture.Attach(_factory);
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/serverless/v1/functions/" + Names.Yrlib());
        request.Headers.Add("X-Trace-Id", "trace-scope-1");

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        // The endpoint middleware logs which endpoint it runs: a framework line inside the request.
        var line = await capture.WaitForAsync(l => l.StartsWith("Microsoft.AspNetCore.Routing.EndpointMiddleware", StringComparison.Ordinal) && l.Contains("Executing endpoint", StringComparison.Ordinal));
        Assert.Contains("scope:TraceId:trace-scope-1", line, StringComparison.Ordinal);
        await server.DisposeAsync();
    }

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex Hex32();
}