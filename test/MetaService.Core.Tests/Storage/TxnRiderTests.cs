using System.Text;

using MetaService.Core.Storage;

using Xunit;

namespace MetaService.Core.Tests.Storage;

/// <summary>What rides along with a write's transaction (an idempotency record): its compares and writes are handed
/// over as given, it holds while its keys are as it expects, and an absent rider adds nothing.</summary>
public sealed class TxnRiderTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public void ARider_GivesItsComparesAndTheWritesOfEachResult()
    {
        Compare[] compares = [Compare.Absent("/idem/a")];
        var rider = new TxnRider<int>(compares, result => [new WriteOp.Put("/idem/a", Encoding.UTF8.GetBytes($"answer {result}"))]);

        Assert.Same(compares, rider.Compares);
        Assert.Same(compares, rider.ComparesOrNone());
        Assert.Equal("answer 7", Encoding.UTF8.GetString(((WriteOp.Put)Assert.Single(rider.WritesOrNone(7))).Value));
        Assert.Equal("answer 8", Encoding.UTF8.GetString(((WriteOp.Put)Assert.Single(rider.Writes(8))).Value));
    }

    [Fact]
    public void NoRider_RidesWithNothing()
    {
        TxnRider<int>? none = null;

        Assert.Empty(none.ComparesOrNone());
        Assert.Empty(none.WritesOrNone(1));
    }

    [Fact]
    public async Task ARider_Holds_WhileEveryKeyIsAtTheRevisionItExpects()
    {
        await using var temp = new TempStore();
        var at = (await temp.Store.TxnAsync([], [new WriteOp.Put("/idem/b", [1])], None)).Revision;

        Assert.True(await new TxnRider<int>([], _ => []).HoldsAsync(temp.Store, None));
        Assert.True(await new TxnRider<int>([Compare.Absent("/idem/a"), new Compare("/idem/b", at)], _ => []).HoldsAsync(temp.Store, None));
        Assert.False(await new TxnRider<int>([Compare.Absent("/idem/a"), Compare.Absent("/idem/b")], _ => []).HoldsAsync(temp.Store, None));
        Assert.False(await new TxnRider<int>([new Compare("/idem/b", at - 1)], _ => []).HoldsAsync(temp.Store, None));
        Assert.False(await new TxnRider<int>([new Compare("/idem/a", at)], _ => []).HoldsAsync(temp.Store, None));
    }

    [Fact]
    public void ATakenKey_IsA409_ThatSaysToSendAgain()
    {
        var error = TxnRiders.Taken();

        Assert.Equal((409, ErrorKind.Conflict), (error.Code, error.Kind));
        Assert.Contains("Idempotency-Key", error.Message);
        Assert.Contains("send the request again", error.Message);
    }
}