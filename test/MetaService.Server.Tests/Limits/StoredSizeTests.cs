using System.Net;
using System.Text.Json.Nodes;

namespace MetaService.Server.Tests.Limits;

/// <summary>What one tenant may store: a record's size, the environment's size, the number of functions. Each refusal
/// is a <c>{code, message}</c> 4xx and stores nothing.</summary>
public sealed class StoredSizeTests : IAsyncLifetime
{
    private readonly MetaServiceFactory _factory = new();

    public ValueTask InitializeAsync()
    {
        _factory.Settings["Meta:RecordBytesMax"] = "8192";
        _factory.Settings["Meta:EnvironmentBytesMax"] = "1000";
        _factory.Settings["Meta:FunctionMax"] = "2";
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Fact]
    public async Task AnEnvironmentOverTheLimit_Answers400And4104()
    {
        using var api = _factory.CreateApi(tenant: "size-env");
        var body = Bodies.Yrlib(Names.Yrlib());
        body["environment"] = new JsonObject { ["BIG"] = new string('x', 1000) };

        using var response = await _factory.Store.NothingWrittenAsync(() => api.CreateAsync(body));

        var message = await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 4104);
        Assert.Contains("environment is 1003 bytes", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARecordThatEscapingMakesLarge_Answers413And4104_OnCreateAndUpdate()
    {
        using var api = _factory.CreateApi(tenant: "size-record");
        var name = Names.Yrlib();
        var created = await api.CreateOkAsync(Bodies.Yrlib(name));
        // 900 characters of '<' (within the environment limit) become 5,400 bytes once escaped as \u003C, in the
        // record and again in the platform's value.
        var large = new JsonObject { ["A"] = new string('<', 495), ["B"] = new string('<', 495) };
        var create = Bodies.Yrlib(Names.Yrlib());
        create["environment"] = large.DeepClone();
        var update = Bodies.Update((string)created["revisionId"]!);
        update["environment"] = large.DeepClone();

        using var refusedCreate = await _factory.Store.NothingWrittenAsync(() => api.CreateAsync(create));
        using var refusedUpdate = await _factory.Store.NothingWrittenAsync(() => api.UpdateAsync(name, update));

        var message = await Wire.AssertErrorAsync(refusedCreate, HttpStatusCode.RequestEntityTooLarge, 4104);
        Assert.Contains("8192 allowed", message, StringComparison.Ordinal);
        await Wire.AssertErrorAsync(refusedUpdate, HttpStatusCode.RequestEntityTooLarge, 4104);
    }

    [Fact]
    public async Task PastTheFunctionCount_Answers409And4104_PerTenant()
    {
        using var full = _factory.CreateApi(tenant: "size-count");
        using var other = _factory.CreateApi(tenant: "size-other");
        await full.CreateOkAsync(Bodies.Yrlib(Names.Yrlib()));
        await full.CreateOkAsync(Bodies.Yrlib(Names.Yrlib()));

        using var refused = await _factory.Store.NothingWrittenAsync(() => full.CreateAsync(Bodies.Yrlib(Names.Yrlib())));
        await other.CreateOkAsync(Bodies.Yrlib(Names.Yrlib()));

        var message = await Wire.AssertErrorAsync(refused, HttpStatusCode.Conflict, 4104);
        Assert.Contains("2 functions", message, StringComparison.Ordinal);
    }
}