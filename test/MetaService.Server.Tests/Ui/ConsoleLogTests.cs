using System.Net;

using MetaService.Server.Tests.Observability;
using MetaService.Server.Ui;

using Microsoft.AspNetCore.Mvc.Testing;

namespace MetaService.Server.Tests.Ui;

/// <summary>What the console's requests leave in the log (authentication off): the access line names the tenant the
/// console looks at, not a tenant header the browser sent, and revealing a function's environment values is logged with
/// who, which function and which tenant.</summary>
public sealed class ConsoleLogTests : IAsyncLifetime
{
    private readonly MetaServiceFactory _factory = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Theory]
    [InlineData("t-cookie", "t-cookie")]
    [InlineData(null, "default")]
    public async Task TheAccessLog_NamesTheConsolesTenant_NotATenantHeaderSent(string? chosen, string logged)
    {
        var (server, capture) = LogCapture.Attach(_factory);
        await using var _ = server;
        using var client = Client(server, chosen);
        client.DefaultRequestHeaders.Add("X-Tenant-Id", "t-header");

        using var response = await client.GetAsync("/ui", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var line = await capture.WaitForAsync(l => l.StartsWith("MetaService.Access", StringComparison.Ordinal));
        Assert.Contains($" tenant={logged} ", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevealingTheEnvironment_IsLogged_WithWhoWhichFunctionAndTenant()
    {
        var name = Names.Faas();
        using (var api = _factory.CreateApi("t-cookie"))
        {
            await api.CreateOkAsync(Bodies.Faas(name));
        }

        var (server, capture) = LogCapture.Attach(_factory);
        await using var _ = server;
        using var client = Client(server, "t-cookie");

        using var page = await client.GetAsync("/ui/functions/" + Uri.EscapeDataString(name) + "?reveal=environment", TestContext.Current.CancellationToken);
        using var edit = await client.GetAsync("/ui/functions/" + Uri.EscapeDataString(name) + "/edit?reveal=environment", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.OK, edit.StatusCode);
        var said = $"console: anonymous revealed the environment values of {name} (tenant t-cookie)";
        await capture.WaitForAsync(l => l.Contains(said, StringComparison.Ordinal));
        Assert.Equal(2, capture.Lines.Count(l => l.Contains(said, StringComparison.Ordinal)));
    }

    private static HttpClient Client(WebApplicationFactory<Program> server, string? tenant)
    {
        var client = server.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        if (tenant is not null)
        {
            client.DefaultRequestHeaders.Add("Cookie", ConsoleGate.TenantCookie + "=" + tenant);
        }

        return client;
    }
}