using System.Net;
using System.Reflection;

using MetaService.Core.Catalog;

using Microsoft.Extensions.DependencyInjection;

namespace MetaService.Server.Tests.Observability;

/// <summary>Alone in the process: OpenTelemetry keys instruments by meter and instrument name across the process, so
/// a second server alive (another test's, or the previous test's not yet disposed) would merge its series with this
/// server's, and drop them from this server's scrapes when it is disposed. Each test checks that it is alone.</summary>
[Collection(nameof(MetricsAlone))]
public sealed class MetricsTests : IAsyncLifetime
{
    private readonly MetaServiceFactory _factory = new();

    public ValueTask InitializeAsync()
    {
        var others = ServerMeters.AliveInProcess("MetaService");
        Assert.True(others == 0, $"{others} instrument(s) of another server are alive in this process: the metrics tests must run alone");
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Fact]
    public async Task Requests_AreCountedByRouteAndStatus_InAHistogram()
    {
        using var api = _factory.CreateApi();
        string[] labels = ["http_request_method=\"GET\"", "http_response_status_code=\"404\"", "http_route=\"/serverless/v1/functions/{name}\""];
        var before = Scrape.Value(await Scrape.TextAsync(api.Client), "http_server_request_duration_seconds_count", labels);

        using var missing = await api.GetAsync(Names.Yrlib());

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        await Scrape.UntilAsync(api.Client, before + 1, "http_server_request_duration_seconds_count", labels);
        var text = await Scrape.TextAsync(api.Client);
        Assert.Contains("http_server_request_duration_seconds_bucket{", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Series_NameTheService_InTargetInfo()
    {
        using var api = _factory.CreateApi();

        var text = await Scrape.TextAsync(api.Client);

        Assert.Contains(text.Split('\n'), l => l.StartsWith("target_info{", StringComparison.Ordinal)
            && l.Contains("service_name=\"metaservice\"", StringComparison.Ordinal)
            && l.Contains("service_version=\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StoreTransactions_AreTimed_AndConflictsCounted()
    {
        using var api = _factory.CreateApi();
        var name = Names.Yrlib();
        var before = await Scrape.TextAsync(api.Client);

        await api.CreateOkAsync(Bodies.Yrlib(name));
        using var duplicate = await api.CreateAsync(Bodies.Yrlib(name));

        var after = await Scrape.TextAsync(api.Client);
        Assert.True(Scrape.Value(after, "metaservice_store_transaction_duration_seconds_count", "outcome=\"committed\"")
            >= Scrape.Value(before, "metaservice_store_transaction_duration_seconds_count", "outcome=\"committed\"") + 1);
        Assert.True(Scrape.Value(after, "metaservice_store_transaction_conflicts_total")
            >= Scrape.Value(before, "metaservice_store_transaction_conflicts_total") + 1);
        Assert.Contains("metaservice_store_transaction_duration_seconds_bucket{", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevisionConflicts_AreCountedAs4134()
    {
        using var api = _factory.CreateApi();
        var name = Names.Yrlib();
        await api.CreateOkAsync(Bodies.Yrlib(name));
        var before = Scrape.Value(await Scrape.TextAsync(api.Client), "metaservice_refusals_total", "code=\"4134\"");

        using var stale = await _factory.Store.NothingWrittenAsync(() => api.UpdateAsync(name, Bodies.Update("1")));

        await Wire.AssertErrorAsync(stale, HttpStatusCode.PreconditionFailed, 4134);
        await Scrape.UntilAsync(api.Client, before + 1, "metaservice_refusals_total", "code=\"4134\"");
    }

    [Fact]
    public async Task AContinueTokenTooOld_AndAReusedIdempotencyKey_AreCountedAs410And422()
    {
        QuietFunctions.ForgetSoon(_factory);
        using var api = _factory.CreateApi();
        var name = Names.Faas();
        var revision = (string)(await api.CreateOkAsync(Bodies.Faas(name)))["revisionId"]!;
        await api.CreateOkAsync(Bodies.Yrlib(Names.Yrlib()));

        using var first = await api.ListAsync("?limit=1");
        var token = (string)(await Wire.OkAsync(first))["result"]!["continue"]!;
        await QuietFunctions.ForgetAsync(_factory, api, name, revision);
        var key = Guid.NewGuid().ToString();
        await IdempotencyTests.PostAsync(api.Client, "/serverless/v1/functions", Bodies.Yrlib(Names.Yrlib()).ToJsonString(), key);

        using var gone = await api.ListAsync("?limit=1&continue=" + Uri.EscapeDataString(token));
        var reused = await IdempotencyTests.PostAsync(api.Client, "/serverless/v1/functions", Bodies.Yrlib(Names.Yrlib()).ToJsonString(), key);

        Assert.Equal((HttpStatusCode.Gone, HttpStatusCode.UnprocessableEntity), (gone.StatusCode, reused.Status));
        Assert.Equal(1, await Scrape.UntilAsync(api.Client, 1, "metaservice_refusals_total", "code=\"410\""));
        Assert.Equal(1, await Scrape.UntilAsync(api.Client, 1, "metaservice_refusals_total", "code=\"422\""));
    }

    [Fact]
    public async Task FunctionAndVersionCounts_ArePerTenant()
    {
        var tenant = "metrics-" + Names.Hex();
        using var api = _factory.CreateApi(tenant);
        var first = Names.Yrlib();
        var created = await api.CreateOkAsync(Bodies.Yrlib(first));
        await api.CreateOkAsync(Bodies.Yrlib(Names.Yrlib()));

        await api.PublishOkAsync(first, (string)created["revisionId"]!, "v1");

        var text = await Scrape.TextAsync(api.Client);
        Assert.Equal(2, Scrape.Value(text, "metaservice_functions", $"tenant=\"{tenant}\""));
        Assert.Equal(1, Scrape.Value(text, "metaservice_function_versions", $"tenant=\"{tenant}\""));

        // The counts follow every change, a version's delete too (they are the function catalog's, kept current by
        // its watch: a scrape reads no record).
        using var deleted = await api.DeleteAsync(first, "v1");
        text = await Scrape.TextAsync(api.Client);
        Assert.Equal(2, Scrape.Value(text, "metaservice_functions", $"tenant=\"{tenant}\""));
        Assert.Equal(0, Scrape.Value(text, "metaservice_function_versions", $"tenant=\"{tenant}\""));
    }

    [Fact]
    public async Task UnreadableRecords_AreCounted()
    {
        var tenant = "metrics-" + Names.Hex();
        using var api = _factory.CreateApi(tenant);
        var put = await _factory.Store.TxnAsync([], [new Core.Storage.WriteOp.Put($"/repo/FunctionVersion/yrk/{tenant}//0-svc-broken/$latest/", "{not json"u8.ToArray())], TestContext.Current.CancellationToken);
        await _factory.Services.GetRequiredService<FunctionCatalog>().WaitForAsync(put.Revision, TestContext.Current.CancellationToken);
        var before = Scrape.Value(await Scrape.TextAsync(api.Client), "metaservice_records_unreadable_total");

        var rows = await api.ListRowsAsync("");
        await api.ListRowsAsync("");

        var after = await Scrape.UntilAsync(api.Client, before + 1, "metaservice_records_unreadable_total");
        Assert.Empty(rows);
        Assert.Equal(before + 1, after);
    }

    [Fact]
    public async Task BuildInfo_IsExposed()
    {
        using var api = _factory.CreateApi();

        var text = await Scrape.TextAsync(api.Client);

        Assert.Equal(1, Scrape.Value(text, "metaservice_build_info", "version=\""));
    }

    [Fact]
    public async Task BuildInfo_NamesThisBuildAndItsRuntime()
    {
        using var api = _factory.CreateApi();
        var version = typeof(Program).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;

        var text = await Scrape.TextAsync(api.Client);

        Assert.Equal(1, Scrape.Value(text, "metaservice_build_info", $"version=\"{version}\"", $"runtime=\"{Environment.Version}\""));
    }

    [Fact]
    public async Task TheServicesOwnSeries_SayWhatTheyCount()
    {
        using var api = _factory.CreateApi("metrics-" + Names.Hex());
        await api.CreateOkAsync(Bodies.Yrlib(Names.Yrlib()));
        using var missing = await api.GetAsync(Names.Yrlib());
        await Scrape.UntilAsync(api.Client, 1, "metaservice_refusals_total");

        var help = (await Scrape.TextAsync(api.Client)).Split('\n').Where(l => l.StartsWith("# HELP metaservice_", StringComparison.Ordinal)).ToHashSet();

        Assert.Contains("# HELP metaservice_refusals_total Answers with an error body, by openYuanrong error code.", help);
        Assert.Contains("# HELP metaservice_functions Functions per tenant.", help);
        Assert.Contains("# HELP metaservice_function_versions Published versions per tenant (drafts not counted).", help);
        Assert.Contains("# HELP metaservice_build_info Always 1; the labels name the build.", help);
    }

    [Fact]
    public async Task Deletes_LowerTheCounts()
    {
        var tenant = "metrics-" + Names.Hex();
        using var api = _factory.CreateApi(tenant);
        var name = Names.Yrlib();
        await api.CreateOkAsync(Bodies.Yrlib(name));
        var before = Scrape.Value(await Scrape.TextAsync(api.Client), "metaservice_functions", $"tenant=\"{tenant}\"");

        using var deleted = await api.DeleteAsync(name);

        var after = Scrape.Value(await Scrape.TextAsync(api.Client), "metaservice_functions", $"tenant=\"{tenant}\"");
        Assert.Equal(1, before);
        Assert.Equal(0, after);
    }
}
[CollectionDefinition(nameof(MetricsAlone), DisableParallelization = true)]
public sealed class MetricsAlone;