using System.Net;

using Microsoft.AspNetCore.Mvc.Testing;

using Xunit;

namespace MetaService.Server.Tests.Health;

public sealed class HealthApiTests : IAsyncDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "metaservice-server-" + Guid.NewGuid().ToString("N"));
    private readonly WebApplicationFactory<Program> _factory;

    public HealthApiTests() => _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
    {
        builder.UseSetting("Store:Kind", "sqlite");
        builder.UseSetting("Store:DataDirectory", _directory);
    });

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task Healthz_Answers200_WithAnEmptyBody()
    {
        using var client = _factory.CreateClient();

        using var response = await client.GetAsync("/healthz", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }
}