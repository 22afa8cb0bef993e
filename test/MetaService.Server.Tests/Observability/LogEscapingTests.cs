using System.Net;

using MetaService.Server.Observability;

namespace MetaService.Server.Tests.Observability;

/// <summary>Text a caller chose is logged as sent, escaped so that it cannot start a line of its own.</summary>
public sealed class LogEscapingTests : IAsyncLifetime
{
    private readonly MetaServiceFactory _factory = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Theory]
    [InlineData("/f/\r\ncrit: forged", @"/f/\r\ncrit: forged")]
    [InlineData("a\tb\\c", @"a\tb\\c")]
    [InlineData("a\\b", @"a\\b")]
    [InlineData("\u202Eevil\u0000", @"\u202eevil\u0000")]
    [InlineData("plain-tenant_1.x", "plain-tenant_1.x")]
    [InlineData("名前", "名前")]
    public void Printable_EscapesWhatCouldForgeALine(string sent, string printed)
    {
        Assert.Equal(printed, Printable.Of(sent));
    }

    [Fact]
    public void Printable_CutsLongText_SayingHowLong()
    {
        var printed = Printable.Of(new string('a', 1000));

        Assert.StartsWith(new string('a', Printable.MaxLength), printed, StringComparison.Ordinal);
        Assert.EndsWith("…(1000 characters)", printed, StringComparison.Ordinal);
    }

    [Fact]
    public void Printable_CutsOnlyTextLongerThanMaxLength()
    {
        var text = new string('a', Printable.MaxLength - 1) + "\n";

        Assert.Equal(new string('a', Printable.MaxLength - 1) + @"\n", Printable.Of(text));
        Assert.Equal(new string('a', Printable.MaxLength) + "…(257 characters)", Printable.Of(new string('a', Printable.MaxLength + 1)));
    }

    [Theory]
    [InlineData("alice bob", "tenant=alice bob ")]
    [InlineData("a\tb", @"tenant=a\tb ")]
    [InlineData("a/b", "tenant=a/b ")]
    public async Task TheAccessLog_NamesTheTenantAsSent(string tenant, string logged)
    {
        var (server, capture) = LogCapture.Attach(_factory);
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, Api.ServerlessRoot);
        request.Headers.TryAddWithoutValidation("X-Tenant-Id", tenant);

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var line = await capture.WaitForAsync(l => l.StartsWith("MetaService.Access", StringComparison.Ordinal));
        Assert.Contains(logged, line, StringComparison.Ordinal);
        await server.DisposeAsync();
    }

    [Fact]
    public async Task TheAccessLog_NamesARequestThatMatchedNoRoute()
    {
        var (server, capture) = LogCapture.Attach(_factory);
        using var client = server.CreateClient();

        using var response = await client.GetAsync(new Uri("/no/such/route", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var line = await capture.WaitForAsync(l => l.StartsWith("MetaService.Access", StringComparison.Ordinal));
        Assert.Contains("GET (no route) 404 ", line, StringComparison.Ordinal);
        await server.DisposeAsync();
    }
}