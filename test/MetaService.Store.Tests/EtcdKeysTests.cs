using System.Text;

using Google.Protobuf;

using MetaService.Core.Storage;
using MetaService.Etcd;

using Microsoft.Extensions.Logging.Abstractions;

using Xunit;

namespace MetaService.Store.Tests;

/// <summary>The etcd store's own mapping, without a member: keys in and out of openYuanrong's prefix, a value taken
/// without a copy only when it is a whole array, and a write the etcd store has no form for.</summary>
public sealed class EtcdKeysTests
{
    [Theory]
    [InlineData("yr", "/yr/sn/k")]
    [InlineData("/yr/", "/yr/sn/k")]
    [InlineData("", "/sn/k")]
    [InlineData(null, "/sn/k")]
    public void AKey_GoesInUnderThePrefix_AndComesOutWithoutIt(string? prefix, string stored)
    {
        var keys = new EtcdKeys(prefix);

        Assert.Equal(stored, keys.Key("/sn/k").ToStringUtf8());
        Assert.Equal("/sn/k", keys.Strip(ByteString.CopyFromUtf8(stored)));
    }

    [Fact]
    public void AValueThatIsPartOfALargerArray_IsCopied_NotTakenWhole()
    {
        var keys = new EtcdKeys("yr");
        var buffer = Encoding.UTF8.GetBytes("[value]");
        var part = UnsafeByteOperations.UnsafeWrap(new ReadOnlyMemory<byte>(buffer, 1, 5));
        var whole = UnsafeByteOperations.UnsafeWrap(buffer);

        var fromPart = keys.ToKeyValue(new Mvccpb.KeyValue { Key = ByteString.CopyFromUtf8("/yr/k"), Value = part, CreateRevision = 2, ModRevision = 3, Version = 4 });
        var fromWhole = keys.ToKeyValue(new Mvccpb.KeyValue { Key = ByteString.CopyFromUtf8("/yr/k"), Value = whole });

        Assert.Equal("value", Encoding.UTF8.GetString(fromPart.Value));
        Assert.Equal(("/k", 2L, 3L, 4L), (fromPart.Key, fromPart.CreateRevision, fromPart.ModRevision, fromPart.Version));
        Assert.Same(buffer, fromWhole.Value);
    }

    [Fact]
    public async Task AnAppend_IsRefusedAsTheRequestIsMade()
    {
        await using var store = new EtcdMetaStore(new EtcdStoreOptions { Endpoints = ["http://127.0.0.1:1"] }, TimeProvider.System, NullLogger<EtcdMetaStore>.Instance);

        // Thrown as the request is made, not from the task: nothing was sent.
        var refused = Assert.Throws<ArgumentException>(() => { _ = store.TxnAsync([], [new WriteOp.Append("/k", "/g/", DateTimeOffset.UnixEpoch, [1])], TestContext.Current.CancellationToken); });

        Assert.StartsWith("unknown write Append", refused.Message, StringComparison.Ordinal);
    }
}