using MetaService.Core;
using MetaService.Core.Catalog;
using MetaService.Core.Storage;
using MetaService.Server.Functions;

namespace MetaService.Server.Tests.Functions;

/// <summary>What an answer costs the server's answer cache: its bytes, its key and revisionId (two bytes a character)
/// and 256 more. An answer that fits the bound exactly is kept, and found at its mod revision only; one byte over the
/// bound, or a bound of nothing, keeps nothing.</summary>
public sealed class AnswerCacheBoundTests
{
    private static readonly string Key = PlatformKeys.Record(Tenant.Default, "0@svc@fn-bound", FunctionKinds.DraftVersion(FunctionKinds.Faas));
    private static readonly FunctionAnswers.RenderedGet Answer = new(new byte[1000], "20261207010203456");
    private static readonly long Cost = 1000 + (Key.Length + Answer.RevisionId!.Length) * 2 + 256;

    [Fact]
    public void AnAnswerThatFitsTheBoundExactly_IsKept_AndFoundAtItsModRevisionOnly()
    {
        using var cache = new AnswerCache(Cost);

        cache.Keep(Entry(7), Answer);

        Assert.Same(Answer, cache.Find(Entry(7)));
        Assert.Null(cache.Find(Entry(8)));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(-1000)]
    public void AnAnswerOverTheBound_IsNotKept(long under)
    {
        using var cache = new AnswerCache(Cost + under);

        cache.Keep(Entry(7), Answer);

        Assert.Null(cache.Find(Entry(7)));
    }

    [Fact]
    public void ABoundOfNothing_KeepsNothing()
    {
        using var cache = new AnswerCache(0);

        cache.Keep(Entry(7), Answer);

        Assert.Null(cache.Find(Entry(7)));
    }

    private static FunctionEntry Entry(long modRevision)
    {
        Assert.True(FunctionEntry.TryTenantPrefix(Key, out var length));
        return FunctionEntry.Create(Key[..length], Key, modRevision);
    }
}