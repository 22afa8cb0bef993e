using System.Net;
using System.Text.Json;

namespace MetaService.Server.Tests;

public sealed class CreateTests(MetaServiceFactory factory) : IClassFixture<MetaServiceFactory>
{
    [Fact]
    public async Task Create_FaasFunction_Returns200WithFunctionEnvelope()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();

        using var response = await api.CreateAsync(Bodies.Faas(name));

        var body = await Wire.OkAsync(response);
        Assert.Equal(0, (int)body["code"]!);
        Assert.Equal("SUCCESS", (string?)body["message"]);
        var fn = body["function"]!;
        Assert.Equal(Formats.DraftUrn(name), (string?)fn["id"]);
        Assert.Equal(Formats.DraftUrn(name), (string?)fn["functionVersionUrn"]);
        Assert.Equal(Formats.FunctionUrn(name), (string?)fn["functionUrn"]);
        Assert.Equal(name, (string?)fn["name"]);
        Assert.Equal("default", (string?)fn["tenantId"]);
        Assert.Equal("yrk", (string?)fn["businessId"]);
        Assert.Equal("", (string?)fn["productId"]);
        Assert.Equal("latest", (string?)fn["versionNumber"]);
        Assert.Equal("latest", (string?)fn["versionDesc"]);
        Assert.Equal("faas", (string?)fn["kind"]);
        Assert.Equal("python3.9", (string?)fn["runtime"]);
        Assert.Equal("handler.handler", (string?)fn["handler"]);
        Formats.AssertNumber(300, fn["cpu"]);
        Formats.AssertNumber(128, fn["memory"]);
        Formats.AssertNumber(60, fn["timeout"]);
        Formats.AssertNumber(0, fn["minInstance"]);
        Formats.AssertNumber(1, fn["maxInstance"]);
        Formats.AssertNumber(1, fn["concurrentNum"]);
        Assert.Equal("1", (string?)fn["environment"]!["A"]);
        Assert.Matches(Formats.RevisionId(), (string?)fn["revisionId"]);
        Assert.Matches(Formats.Timestamp(), (string?)fn["createTime"]);
        Assert.Matches(Formats.Timestamp(), (string?)fn["Published"]);
        Assert.Equal("", (string?)fn["updateTime"]);
    }

    [Fact]
    public async Task Create_YrlibFunction_HasDollarLatestDraft()
    {
        using var api = factory.CreateApi();
        var name = Names.Yrlib();

        var fn = await api.CreateOkAsync(Bodies.Yrlib(name));

        Assert.Equal(Formats.DraftUrn(name, "$latest"), (string?)fn["id"]);
        Assert.Equal("$latest", (string?)fn["versionNumber"]);
        Assert.Equal("yrlib", (string?)fn["kind"]);
    }

    [Fact]
    public async Task Create_WithoutKind_HasDollarLatestDraftAndNoKindMember()
    {
        using var api = factory.CreateApi();
        var name = Names.Yrlib();

        var fn = await api.CreateOkAsync(Bodies.Yrlib(name).Without("kind"));

        Assert.Equal("$latest", (string?)fn["versionNumber"]);
        Assert.False(fn.AsObject().ContainsKey("kind"));
    }

    [Fact]
    public async Task Create_UnderAdminRoot_Returns200WithFunctionEnvelope()
    {
        using var api = factory.CreateApi(root: Api.AdminRoot);
        var name = Names.Faas();

        var fn = await api.CreateOkAsync(Bodies.Faas(name));

        Assert.Equal(Formats.DraftUrn(name), (string?)fn["functionVersionUrn"]);
    }

    [Fact]
    public async Task Create_ExistingName_Returns409And4101()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        await api.CreateOkAsync(Bodies.Faas(name));

        using var response = await factory.Store.NothingWrittenAsync(() => api.CreateAsync(Bodies.Faas(name)));

        var message = await Wire.AssertErrorAsync(response, HttpStatusCode.Conflict, 4101);
        Assert.Equal("the function name already exists. rename your function", message);
    }

    /// <summary>The two kinds keep their drafts under two keys (<c>latest</c>, <c>$latest</c>): a create compares both.</summary>
    [Theory]
    [InlineData("faas", "yrlib")]
    [InlineData("yrlib", "faas")]
    public async Task Create_ExistingNameWithAnotherKind_Returns409And4101_AndKeepsTheFirstDraft(string first, string second)
    {
        using var api = factory.CreateApi();
        var name = Names.Yrlib();
        var created = await api.CreateOkAsync(Bodies.Yrlib(name).With("kind", $"\"{first}\""));

        using var response = await factory.Store.NothingWrittenAsync(() => api.CreateAsync(Bodies.Yrlib(name).With("kind", $"\"{second}\"")));

        await Wire.AssertErrorAsync(response, HttpStatusCode.Conflict, 4101);
        using var versions = await api.ListVersionsAsync(name);
        var kept = Assert.Single((await Wire.OkAsync(versions))["functions"]!.AsArray());
        Assert.Equal((first, (string?)created["revisionId"]), ((string?)kept!["kind"], (string?)kept["revisionId"]));
    }

    [Fact]
    public async Task Create_DocRegisterFunctionExample_StoresEveryField()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();

        var fn = await api.CreateOkAsync(Bodies.DocCreateExample(name));

        Assert.Equal("handler.my_handler", (string?)fn["handler"]);
        Formats.AssertNumber(600, fn["cpu"]);
        Formats.AssertNumber(512, fn["memory"]);
        Formats.AssertNumber(600, fn["timeout"]);
        Formats.AssertNumber(0, fn["minInstance"]);
        Formats.AssertNumber(10, fn["maxInstance"]);
        Formats.AssertNumber(2, fn["concurrentNum"]);
        Assert.Equal("local", (string?)fn["storageType"]);
        Assert.Equal("/home/sn/function-packages", (string?)fn["codePath"]);
        Assert.Equal("pool1", (string?)fn["poolId"]);
        Assert.Equal("""{"initializer":"handler.init","pre_stop":"test.prestop"}""", Formats.Text(fn["extendedHandler"]));
        Assert.Equal("""{"initializer":600,"pre_stop":10}""", Formats.Text(fn["extendedTimeout"]));
        Assert.Equal("rg1", (string?)fn["resourceAffinitySelectors"]![0]!["group"]);
    }

    [Fact]
    public async Task Create_WithoutTimeout_DefaultsTo900()
    {
        using var api = factory.CreateApi();

        var fn = await api.CreateOkAsync(Bodies.Faas(Names.Faas()).Without("timeout"));

        Formats.AssertNumber(900, fn["timeout"]);
    }

    [Fact]
    public async Task Create_WithTimeoutAboveMaximum_CapsTo8640000()
    {
        using var api = factory.CreateApi();

        var fn = await api.CreateOkAsync(Bodies.Faas(Names.Faas()).With("timeout", "8640001"));

        Formats.AssertNumber(8_640_000, fn["timeout"]);
    }

    [Fact]
    public async Task Create_WithoutInstanceCounts_Uses0And100And100()
    {
        using var api = factory.CreateApi();
        var body = Bodies.Faas(Names.Faas()).Without("minInstance").Without("maxInstance").Without("concurrentNum");

        var fn = await api.CreateOkAsync(body);

        Formats.AssertNumber(0, fn["minInstance"]);
        Formats.AssertNumber(100, fn["maxInstance"]);
        Formats.AssertNumber(100, fn["concurrentNum"]);
    }

    [Theory]
    [InlineData(299)]
    [InlineData(16001)]
    public async Task Create_WithCpuOutOfRange_Returns400And4104(int cpu)
    {
        using var api = factory.CreateApi();

        using var response = await factory.Store.NothingWrittenAsync(() => api.CreateAsync(Bodies.Faas(Names.Faas()).With("cpu", cpu.ToString(System.Globalization.CultureInfo.InvariantCulture))));

        var message = await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 4104);
        Assert.Equal("CPU not in range [300, 16000]. check input parameters", message);
    }

    [Theory]
    [InlineData("127")]
    [InlineData("1073741825")]
    public async Task Create_WithMemoryOutOfRange_Returns400And4104(string memory)
    {
        using var api = factory.CreateApi();

        using var response = await factory.Store.NothingWrittenAsync(() => api.CreateAsync(Bodies.Faas(Names.Faas()).With("memory", memory)));

        var message = await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 4104);
        Assert.Contains("memory not in range [128, 1073741824]", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("300", "128")]
    [InlineData("16000", "1073741824")]
    public async Task Create_WithCpuAndMemoryAtTheLimits_Succeeds(string cpu, string memory)
    {
        using var api = factory.CreateApi();

        var fn = await api.CreateOkAsync(Bodies.Faas(Names.Faas()).With("cpu", cpu).With("memory", memory));

        Assert.Equal(cpu, Formats.Text(fn["cpu"]));
        Assert.Equal(memory, Formats.Text(fn["memory"]));
    }

    [Fact]
    public async Task Create_WithRuntimeNotConfigured_Returns400And4104()
    {
        using var api = factory.CreateApi();

        using var response = await factory.Store.NothingWrittenAsync(() => api.CreateAsync(Bodies.Faas(Names.Faas()).With("runtime", "\"python2.7\"")));

        var message = await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 4104);
        Assert.Contains("runtime python2.7 is not valid", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("5", "2", "1")]
    [InlineData("0", "1001", "1")]
    [InlineData("0", "1", "0")]
    [InlineData("0", "1", "1001")]
    [InlineData("-1", "1", "1")]
    [InlineData("abc", "1", "1")]
    public async Task Create_WithInvalidInstanceCounts_Returns400And4104(string min, string max, string concurrent)
    {
        using var api = factory.CreateApi();
        var body = Bodies.Faas(Names.Faas());
        body["minInstance"] = min;
        body["maxInstance"] = max;
        body["concurrentNum"] = concurrent;

        using var response = await factory.Store.NothingWrittenAsync(() => api.CreateAsync(body));

        await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 4104);
    }

    [Theory]
    [InlineData("0", "1000", "1000")]
    [InlineData("7", "7", "1")]
    public async Task Create_WithInstanceCountsAtTheLimits_Succeeds(string min, string max, string concurrent)
    {
        using var api = factory.CreateApi();
        var body = Bodies.Faas(Names.Faas());
        body["minInstance"] = min;
        body["maxInstance"] = max;
        body["concurrentNum"] = concurrent;

        var fn = await api.CreateOkAsync(body);

        Assert.Equal(min, Formats.Text(fn["minInstance"]));
        Assert.Equal(max, Formats.Text(fn["maxInstance"]));
        Assert.Equal(concurrent, Formats.Text(fn["concurrentNum"]));
    }

    [Theory]
    [InlineData("handler", 64, true)]
    [InlineData("handler", 65, false)]
    [InlineData("description", 1024, true)]
    [InlineData("description", 1025, false)]
    public async Task Create_HandlerAndDescriptionLength_AreLimited(string member, int length, bool accepted)
    {
        using var api = factory.CreateApi();
        var body = Bodies.Faas(Names.Faas());
        body[member] = new string('h', length);

        using var response = accepted ? await api.CreateAsync(body) : await factory.Store.NothingWrittenAsync(() => api.CreateAsync(body));

        if (accepted)
        {
            var fn = (await Wire.OkAsync(response))["function"]!;
            Assert.Equal(length, ((string?)fn[member])!.Length);
        }
        else
        {
            await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 4104);
        }
    }

    [Theory]
    [InlineData(181)]
    [InlineData(-1)]
    public async Task Create_FaasWithPreStopTimeoutOutOfRange_Returns400And4104(int timeout)
    {
        using var api = factory.CreateApi();
        var body = Bodies.Faas(Names.Faas())
            .With("extendedHandler", """{"pre_stop":"handler.stop"}""")
            .With("extendedTimeout", $$"""{"pre_stop":{{timeout}}}""");

        using var response = await factory.Store.NothingWrittenAsync(() => api.CreateAsync(body));

        var message = await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 4104);
        Assert.Equal("preStop timeOut must between 0 and 180. check input parameters", message);
    }

    [Fact]
    public async Task Create_FaasWithPreStopTimeout180_Succeeds()
    {
        using var api = factory.CreateApi();
        var body = Bodies.Faas(Names.Faas())
            .With("extendedHandler", """{"pre_stop":"handler.stop"}""")
            .With("extendedTimeout", """{"pre_stop":180}""");

        var fn = await api.CreateOkAsync(body);

        Formats.AssertNumber(180, fn["extendedTimeout"]!["pre_stop"]);
    }

    [Fact]
    public async Task Create_FaasWithPreStopTimeoutButNoPreStopHandler_Succeeds()
    {
        using var api = factory.CreateApi();

        var fn = await api.CreateOkAsync(Bodies.Faas(Names.Faas()).With("extendedTimeout", """{"pre_stop":500}"""));

        Formats.AssertNumber(500, fn["extendedTimeout"]!["pre_stop"]);
    }

    [Fact]
    public async Task Create_YrlibWithPreStopTimeoutAbove180_Succeeds()
    {
        using var api = factory.CreateApi();
        var body = Bodies.Yrlib(Names.Yrlib())
            .With("extendedHandler", """{"pre_stop":"handler.stop"}""")
            .With("extendedTimeout", """{"pre_stop":500}""");

        using var response = await api.CreateAsync(body);

        await Wire.OkAsync(response);
    }

    [Fact]
    public async Task Create_WithUnknownMembers_IgnoresThem()
    {
        using var api = factory.CreateApi();
        var body = Bodies.Faas(Names.Faas())
            .With("noSuchField", """{"nested":[1,2,{"x":null}]}""")
            .With("functionType", "\"whatever\"")
            .With("reversedConcurrency", "5");

        var fn = await api.CreateOkAsync(body);

        Assert.False(fn.AsObject().ContainsKey("noSuchField"));
        Formats.AssertNumber(0, fn["reversedConcurrency"]);
    }

    [Fact]
    public async Task Create_FaasJava18_StoresRuntimeAsJava8()
    {
        using var api = factory.CreateApi();

        var fn = await api.CreateOkAsync(Bodies.Faas(Names.Faas()).With("runtime", "\"java1.8\""));

        Assert.Equal("java8", (string?)fn["runtime"]);
    }

    [Fact]
    public async Task Create_Response_NumbersAreJsonNumbers()
    {
        using var api = factory.CreateApi();

        var fn = await api.CreateOkAsync(Bodies.Faas(Names.Faas()));

        foreach (var member in new[] { "cpu", "memory", "timeout", "minInstance", "maxInstance", "concurrentNum" })
        {
            Assert.Equal(JsonValueKind.Number, fn[member]!.GetValueKind());
        }
    }
}