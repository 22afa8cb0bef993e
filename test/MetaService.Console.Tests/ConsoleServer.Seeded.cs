using System.Text;
using System.Text.Json;

using MetaService.Core;
using MetaService.Core.Functions;
using MetaService.Sqlite;

namespace MetaService.Console.Tests;

public sealed partial class ConsoleServer
{
    /// <summary>A server with authentication off on a data directory seeded first, straight into its store file, with
    /// <paramref name="count"/> functions of tenant <c>default</c> named by <paramref name="name"/>: written by the Core's
    /// own create (as the API writes them, many in flight sharing each commit), not by as many HTTP calls.</summary>
    public static async Task<ConsoleServer> StartSeededAsync(int count, Func<int, string> name, CancellationToken cancellationToken)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("metaservice-console-").FullName;
        try
        {
            await SeedAsync(dataDirectory, count, name, cancellationToken);
            var (running, address) = await HostAsync(["--urls", "http://127.0.0.1:0", "--data-dir", dataDirectory, "--Meta:FunctionMax", "0"], cancellationToken);
            return new ConsoleServer(running, address, dataDirectory, null);
        }
        catch
        {
            Directory.Delete(dataDirectory, recursive: true);
            throw;
        }
    }

    private static async Task SeedAsync(string dataDirectory, int count, Func<int, string> name, CancellationToken cancellationToken)
    {
        await using var store = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = dataDirectory });
        var service = new FunctionService(store, new MetaOptions { FunctionMax = 0 }, TimeProvider.System);
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 128).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                var body = JsonSerializer.Deserialize(Encoding.UTF8.GetBytes(Bodies.Yrlib(name(i)).ToJsonString()), MetaJson.Default.FunctionRequest)!;
                var created = await service.CreateAsync(Tenant.Default, body, cancellationToken);
                Assert.Null(created.Error);
            }
        }));
    }
}