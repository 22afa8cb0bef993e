using Microsoft.AspNetCore.Hosting;

namespace MetaService.Server.Tests;

/// <summary>The store this test assembly runs the functions API suite on: the embedded store. The etcd test
/// project compiles the same suite with its own <c>StoreUnderTest</c>.</summary>
public static class StoreUnderTest
{
    public static void Configure(IWebHostBuilder builder, string id) => builder.UseSetting("Store:Kind", "sqlite");
}