using System.Net;

namespace MetaService.Server.Tests;

/// <summary>JSON <c>null</c> where a text or an object belongs, inside maps and lists: each answered 400/4104 naming
/// the member, with nothing written (the probe of issue 17 got 500 for these).</summary>
public sealed class NullMemberTests(MetaServiceFactory factory) : IClassFixture<MetaServiceFactory>
{
    public static TheoryData<string, string, string> NullMembers => new()
    {
        { "yrlib", "hookHandler", """{"init":null}""" },
        { "faas", "extendedHandler", """{"pre_stop":null}""" },
        { "faas", "extendedHandler", """{"initializer":null}""" },
        { "faas", "resourceAffinitySelectors", "[null]" },
        { "yrlib", "schedulePolicies", "[null]" },
        { "yrlib", "environment", """{"A":null}""" },
        { "faas", "tags", """{"team":null}""" },
        { "yrlib", "layers", "[null]" },
    };

    private static (string Name, System.Text.Json.Nodes.JsonObject Body) Function(string kind)
    {
        var name = kind == "faas" ? Names.Faas() : Names.Yrlib();
        return (name, kind == "faas" ? Bodies.Faas(name) : Bodies.Yrlib(name));
    }

    [Theory]
    [MemberData(nameof(NullMembers))]
    public async Task Create_WithNullInside_Returns400And4104(string kind, string member, string json)
    {
        using var api = factory.CreateApi();
        var body = Function(kind).Body.With(member, json);

        using var response = await factory.Store.NothingWrittenAsync(() => api.CreateAsync(body));

        var message = await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 4104);
        Assert.Contains(member, message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(NullMembers))]
    public async Task Update_WithNullInside_Returns400And4104(string kind, string member, string json)
    {
        using var api = factory.CreateApi();
        var (name, create) = Function(kind);
        var created = await api.CreateOkAsync(create);
        var body = Bodies.Update((string)created["revisionId"]!, kind).With(member, json);

        using var response = await factory.Store.NothingWrittenAsync(() => api.UpdateAsync(name, body));

        var message = await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 4104);
        Assert.Contains(member, message, StringComparison.Ordinal);
    }
}