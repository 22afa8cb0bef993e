using MetaService.Core.Catalog;
using MetaService.Core.Records;
using MetaService.Core.Storage;

using Xunit;

using static MetaService.Core.Tests.ReservedInstances.Reserving;

namespace MetaService.Core.Tests.ReservedInstances;

/// <summary>Only a faas function version has reserved instances (the original looks the version up with kind faas): a
/// version of another kind is not found by a create, a read or a delete, and nothing is written.</summary>
public sealed class ReservedInstanceKindTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task AVersionThatIsNotFaas_IsNotFound_AndNothingIsWritten()
    {
        await using var reserving = await WithHelloAsync();
        var draft = FunctionEntry.Decode(FunctionKey, (await reserving.Store.GetAsync(FunctionKey, None))!.Value);
        var yrlib = draft with { Version = "1", Kind = FunctionKinds.Yrlib };
        await reserving.Store.TxnAsync([], [new WriteOp.Put(PlatformKeys.Record(Tenant.Default, Hello, "1"), RecordFormat.Encode(yrlib))], None);
        var before = await reserving.RevisionAsync();

        var created = await reserving.Service.CreateAsync(Tenant.Default, Request("a", ("cluster001", 1, 0)) with { Version = "1" }, None);
        var read = await reserving.Service.GetAsync(Tenant.Default, Version() with { Version = "1" }, None);
        var deleted = await reserving.Service.DeleteAsync(Tenant.Default, Version("a") with { Version = "1" }, None);

        var expected = (4115, "function [0@faaspy@hello] is not found. check input parameters", ErrorKind.NotFound);
        Assert.Equal(expected, (created.Error!.Code, created.Error.Message, created.Error.Kind));
        Assert.Equal(expected, (read.Error!.Code, read.Error.Message, read.Error.Kind));
        Assert.Equal(expected, (deleted.Error!.Code, deleted.Error.Message, deleted.Error.Kind));
        Assert.Equal(before, await reserving.RevisionAsync());
    }
}