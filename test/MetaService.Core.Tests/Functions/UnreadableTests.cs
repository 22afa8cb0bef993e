using System.Diagnostics.Metrics;

using MetaService.Core.Catalog;
using MetaService.Core.Functions;
using MetaService.Core.Records;
using MetaService.Core.Storage;

using Microsoft.Extensions.Logging.Abstractions;

using Xunit;

namespace MetaService.Core.Tests.Functions;

/// <summary>What the service does with what it cannot read: a record that does not decode is reported where the service
/// was told to report it (and never written over unread), and a key below a function that is no record key is not one
/// of its versions.</summary>
public sealed class UnreadableTests
{
    private static readonly Tenant Tenant = ServiceHarness.Tenant;

    [Fact]
    public async Task ARecordThatCannotBeRead_IsReported_WhenAWriteMeetsIt()
    {
        await using var temp = new TempStore();
        await using var catalog = new FunctionCatalog(temp.Store, TimeProvider.System);
        using var meters = new Meters();
        var unreadable = new UnreadableRecords(NullLogger<UnreadableRecords>.Instance, meters);
        var service = new FunctionService(catalog, new MetaOptions(), TimeProvider.System, unreadable);
        await service.CreateAsync(Tenant, ServiceHarness.Yrlib(), ServiceHarness.Token);
        await temp.Store.TxnAsync([], [new WriteOp.Put(PlatformKeys.Record(Tenant, "0-svc-fn", "v9"), "not json"u8.ToArray())], ServiceHarness.Token);

        var deleted = await service.DeleteAsync(Tenant, "0-svc-fn", "v9", null, ServiceHarness.Token);

        Assert.True(deleted.Value);
        Assert.Same(unreadable, service.Unreadable);
        Assert.Same(unreadable, service.AsDryRun().Unreadable);
        Assert.Equal(1, unreadable.Reported);
    }

    [Fact]
    public async Task ARecordThatCannotBeRead_IsReported_WhenAFilteredListMeetsIt()
    {
        await using var temp = new TempStore();
        await using var catalog = new FunctionCatalog(temp.Store, TimeProvider.System);
        using var meters = new Meters();
        var unreadable = new UnreadableRecords(NullLogger<UnreadableRecords>.Instance, meters);
        var service = new FunctionService(catalog, new MetaOptions(), TimeProvider.System, unreadable);
        await service.CreateAsync(Tenant, ServiceHarness.Yrlib(), ServiceHarness.Token);
        var put = await temp.Store.TxnAsync([], [new WriteOp.Put(PlatformKeys.Record(Tenant, "0-svc-fn", "v9"), "not json"u8.ToArray())], ServiceHarness.Token);
        await catalog.WaitForAsync(put.Revision, ServiceHarness.Token);

        var page = await service.ListAfterAsync(Tenant, new FunctionQuery(null, null, null, Paging.Default), new ListFilter(FunctionKinds.Yrlib, null, null), new KeyPaging(5, null), ServiceHarness.Token);

        Assert.Equal(["$latest"], page.Value!.Functions!.Select(f => f.Version));
        Assert.Equal(1, unreadable.Reported);
    }

    [Fact]
    public async Task AServiceWithoutAReporter_ReportsNowhere()
    {
        await using var h = new ServiceHarness();

        Assert.Same(UnreadableRecords.None, h.Service.Unreadable);
    }

    [Fact]
    public async Task ADraftThatCannotBeRead_IsNotPublished()
    {
        await using var h = new ServiceHarness();
        await h.Store.TxnAsync([], [new WriteOp.Put(PlatformKeys.Record(Tenant, "0-svc-fn", "$latest"), "not json"u8.ToArray())], ServiceHarness.Token);
        var before = await h.RevisionAsync();

        var error = await Assert.ThrowsAsync<UnreadableRecordException>(() => h.Service.PublishAsync(Tenant, "0-svc-fn", new PublishRequest { RevisionId = "1", VersionNumber = "v1" }, ServiceHarness.Token));

        Assert.Equal(PlatformKeys.Record(Tenant, "0-svc-fn", "$latest"), error.Key);
        Assert.Equal("it could not be decoded; the server log has the reason", error.Reason);
        Assert.Equal(before, await h.RevisionAsync());
    }

    [Fact]
    public async Task AKeyBelowAFunctionThatIsNoRecordKey_IsNoVersionOfIt()
    {
        await using var h = new ServiceHarness(new MetaOptions { VersionMax = 1 });
        var draft = await h.CreateAsync(ServiceHarness.Yrlib());
        await h.Store.TxnAsync([], [new WriteOp.Put(PlatformKeys.FunctionRecords(Tenant, "0-svc-fn") + "junk", "{}"u8.ToArray())], ServiceHarness.Token);

        var published = await h.Service.PublishAsync(Tenant, "0-svc-fn", new PublishRequest { RevisionId = draft.RevisionId, VersionNumber = "v1" }, ServiceHarness.Token);

        Assert.Null(published.Error);
    }

    private sealed class Meters : IMeterFactory
    {
        private readonly List<Meter> _meters = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options);
            _meters.Add(meter);
            return meter;
        }

        public void Dispose()
        {
            foreach (var meter in _meters)
            {
                meter.Dispose();
            }
        }
    }
}