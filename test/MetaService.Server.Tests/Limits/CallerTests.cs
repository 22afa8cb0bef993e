using System.Net;

using MetaService.Server.Limits;

using Microsoft.AspNetCore.Http;

namespace MetaService.Server.Tests.Limits;

/// <summary>The key a request's limits count under (<see cref="Caller"/>).</summary>
public sealed class CallerTests
{
    [Fact]
    public void ACredential_NeverSharesTheKeyOfAnAddressAndTenant()
    {
        var anonymous = Request("127.0.0.1", "t");
        var authenticated = Request("127.0.0.1", "t");
        Caller.Identify(authenticated, "127.0.0.1 t");

        Assert.Equal("127.0.0.1 t", Caller.KeyOf(anonymous));
        Assert.NotEqual(Caller.KeyOf(anonymous), Caller.KeyOf(authenticated));
    }

    [Fact]
    public void TheTenantInAKey_IsBoundedAt128Characters()
    {
        var tenant = new string('t', 128);

        var longer = Caller.KeyOf(Request("10.0.0.1", tenant + new string('x', 5000)));
        var other = Caller.KeyOf(Request("10.0.0.1", tenant + "y"));

        Assert.Equal("10.0.0.1 " + tenant, longer);
        Assert.Equal(longer, other);
        Assert.Equal("10.0.0.1 " + tenant, Caller.KeyOf(Request("10.0.0.1", tenant)));
    }

    private static DefaultHttpContext Request(string address, string tenant)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(address);
        context.Request.Headers["X-Tenant-Id"] = tenant;
        return context;
    }
}