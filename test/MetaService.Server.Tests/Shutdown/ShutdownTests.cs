using MetaService.Server.Tests.Observability;

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MetaService.Server.Tests.Shutdown;

public sealed class ShutdownTests
{
    [Fact]
    public async Task DrainTimeout_ComesFromConfiguration()
    {
        await using var factory = new MetaServiceFactory();
        await using var server = factory.WithWebHostBuilder(b => b.UseSetting("Server:ShutdownTimeoutSeconds", "7"));

        var options = server.Services.GetRequiredService<IOptions<HostOptions>>().Value;

        Assert.Equal(TimeSpan.FromSeconds(7), options.ShutdownTimeout);
    }

    [Fact]
    public async Task Stopping_DrainsThenClosesTheStore_AndKeepsWhatWasWritten()
    {
        var factory = new MetaServiceFactory();
        var (server, capture) = LogCapture.Attach(factory);
        var name = Names.Yrlib();
        using (var api = new Api(server.CreateClient()))
        {
            await api.CreateOkAsync(Bodies.Yrlib(name));
        }

        await server.DisposeAsync();
        await using var restarted = await factory.RestartAsync();

        var stopping = capture.Lines.ToList().FindIndex(l => l.Contains("stopping: no new connections", StringComparison.Ordinal));
        var stopped = capture.Lines.ToList().FindIndex(l => l.Contains("stopped: requests drained; closing the store", StringComparison.Ordinal));
        Assert.InRange(stopping, 0, stopped - 1);
        using var again = restarted.CreateApi();
        Assert.Equal(name, (string)(await again.GetOkAsync(name))["name"]!);
    }
}