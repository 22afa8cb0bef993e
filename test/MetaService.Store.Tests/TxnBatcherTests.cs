using Etcdserverpb;

using Google.Protobuf;

using Grpc.Core;

using MetaService.Core.Storage;
using MetaService.Etcd;

using Xunit;

namespace MetaService.Store.Tests;

/// <summary>
/// Group commit on its own, with a send the test holds and answers: which waiting transactions go together in the next
/// call (arrival order, no shared key, the batch's count and byte bounds, members that must go alone, cancelled ones),
/// what each member is answered, and what happens when etcd refuses a batch. <see cref="EtcdBatchTests"/> shows the same
/// against etcd, where the calls' timing is etcd's.
/// </summary>
public sealed class TxnBatcherTests
{
    /// <summary>What a successful member says of its deletes when each found its key.</summary>
    private static readonly IReadOnlySet<int> None = new HashSet<int>();

    private readonly List<Call> _calls = [];

    [Fact]
    public async Task TransactionsWaitingForTheCallInFlight_GoTogether_InArrivalOrder_EachWithItsOwnOutcome()
    {
        var batcher = Batcher(batchLimit: 32);
        var first = Txn(batcher, "a");
        var waiting = new[] { Txn(batcher, "b"), Txn(batcher, "c", succeeds: false), Txn(batcher, "d") };

        Answer(0, revision: 10);
        Assert.Equal(new TxnResult(true, 10, Changed: true) { DeletedNothing = None }, await first);
        Assert.Equal(["b", "c", "d"], await MembersAsync(1));
        Answer(1, revision: 11);

        Assert.Equal(new TxnResult(true, 11, Changed: true) { DeletedNothing = None }, await waiting[0]);
        Assert.Equal(new TxnResult(false, 11, Changed: false), await waiting[1]);
        Assert.Equal(new TxnResult(true, 11, Changed: true) { DeletedNothing = None }, await waiting[2]);
        Assert.Equal(2, _calls.Count);
    }

    [Fact]
    public async Task AMemberSharingAKeyWithAnEarlierOne_WaitsForTheNextCall_AndTheOthersDoNot()
    {
        var batcher = Batcher(batchLimit: 32);
        var first = Txn(batcher, "a");
        var second = Txn(batcher, "b", "shared");
        var third = Txn(batcher, "c", "shared");
        var fourth = Txn(batcher, "d");

        Answer(0, 1);
        Assert.Equal(["b", "d"], await MembersAsync(1));
        Answer(1, 2);
        Assert.Equal(["c"], await MembersOrAloneAsync(2));
        Answer(2, 3);

        await Task.WhenAll(first, second, third, fourth);
        Assert.Equal(3, third.Result.Revision);
    }

    [Fact]
    public async Task ABatch_HoldsAtMostTheBatchLimit()
    {
        var batcher = Batcher(batchLimit: 2);
        List<Task<TxnResult>> all = [Txn(batcher, "a"), Txn(batcher, "b"), Txn(batcher, "c"), Txn(batcher, "d"), Txn(batcher, "e"), Txn(batcher, "f")];

        Answer(0, 1);
        Assert.Equal(["b", "c"], await MembersAsync(1));
        Answer(1, 2);
        Assert.Equal(["d", "e"], await MembersAsync(2));
        Answer(2, 3);
        Assert.Equal(["f"], await MembersOrAloneAsync(3));
        Answer(3, 4);

        await Task.WhenAll(all);
    }

    [Fact]
    public async Task AMemberThatMustGoAlone_GoesAlone_WhenItIsFirst_AndWaitsOtherwise()
    {
        var batcher = Batcher(batchLimit: 32);
        var first = Txn(batcher, "a");
        var before = Txn(batcher, "b");
        var alone = Txn(batcher, "c", alone: true);
        var after = Txn(batcher, "d");

        Answer(0, 1);
        Assert.Equal(["b", "d"], await MembersAsync(1));
        Answer(1, 2);
        Assert.Equal("c", await AloneAsync(2));
        Answer(2, 3);

        await Task.WhenAll(first, before, alone, after);
    }

    [Theory]
    [InlineData(64, false)]
    [InlineData(65, true)]
    public async Task AMemberOfMoreThan64Operations_GoesAlone(int operations, bool alone)
    {
        var batcher = Batcher(batchLimit: 32);
        var first = Txn(batcher, "a");
        var big = batcher.TxnAsync(Request("big", operations - 1), ["big"], alone: false, CancellationToken.None);
        var other = Txn(batcher, "b");

        Answer(0, 1);
        if (alone)
        {
            Assert.Equal(["big"], await MembersOrAloneAsync(1));
            Answer(1, 2);
            Assert.Equal(["b"], await MembersOrAloneAsync(2));
            Answer(2, 3);
        }
        else
        {
            Assert.Equal(["big", "b"], await MembersOrAloneAsync(1));
            Answer(1, 2);
        }

        await Task.WhenAll(first, big, other);
    }

    [Fact]
    public async Task ABatch_TakesMembersUpToHalfAMebibyte_AndALargeFirstMemberGoesAnyway()
    {
        var batcher = Batcher(batchLimit: 32);
        var first = Txn(batcher, "a");
        var large = batcher.TxnAsync(Request("large", 0, valueBytes: 400 * 1024), ["large"], alone: false, CancellationToken.None);
        var second = batcher.TxnAsync(Request("second", 0, valueBytes: 200 * 1024), ["second"], alone: false, CancellationToken.None);
        var small = Txn(batcher, "small");
        var huge = batcher.TxnAsync(Request("huge", 0, valueBytes: 700 * 1024), ["huge"], alone: false, CancellationToken.None);

        Answer(0, 1);
        Assert.Equal(["large", "small"], await MembersOrAloneAsync(1));
        Answer(1, 2);
        Assert.Equal(["second"], await MembersOrAloneAsync(2));
        Answer(2, 3);
        Assert.Equal(["huge"], await MembersOrAloneAsync(3));
        Answer(3, 4);

        await Task.WhenAll(first, large, second, small, huge);
    }

    [Fact]
    public async Task ABatch_OfExactlyHalfAMebibyte_GoesTogether_AndOneByteMoreDoesNot()
    {
        var batcher = Batcher(batchLimit: 32);
        var first = Txn(batcher, "a");
        var large = Request("large", 0, valueBytes: 300 * 1024);
        var fits = Request("fits", 0, valueBytes: SizedTo("fits", 512 * 1024 - large.CalculateSize()));
        var over = Request("over", 0, valueBytes: SizedTo("over", 512 * 1024 - large.CalculateSize() + 1));
        Assert.Equal(512 * 1024, large.CalculateSize() + fits.CalculateSize());
        Assert.Equal(512 * 1024 + 1, large.CalculateSize() + over.CalculateSize());
        var waiting = new[]
        {
            batcher.TxnAsync(large, ["large"], alone: false, CancellationToken.None),
            batcher.TxnAsync(over, ["over"], alone: false, CancellationToken.None),
            batcher.TxnAsync(fits, ["fits"], alone: false, CancellationToken.None),
        };

        Answer(0, 1);
        Assert.Equal(["large", "fits"], await MembersOrAloneAsync(1));
        Answer(1, 2);
        Assert.Equal(["over"], await MembersOrAloneAsync(2));
        Answer(2, 3);

        await Task.WhenAll([first, .. waiting]);
    }

    [Fact]
    public async Task AMemberCancelledWhileWaiting_IsNotSent_AndEndsCancelled()
    {
        var batcher = Batcher(batchLimit: 32);
        var first = Txn(batcher, "a");
        using var cancel = new CancellationTokenSource();
        var cancelled = batcher.TxnAsync(Request("b", 0), ["b"], alone: false, cancel.Token);
        var kept = Txn(batcher, "c");
        cancel.Cancel();

        Answer(0, 1);
        Assert.Equal(["c"], await MembersOrAloneAsync(1));
        Answer(1, 2);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        await Task.WhenAll(first, kept);
        Assert.Equal(2, _calls.Count);
    }

    [Fact]
    public async Task ATransactionCancelledBeforeItStarts_TakesNoCall_AndTheNextGoesOut()
    {
        var batcher = Batcher(batchLimit: 32);
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        var cancelled = batcher.TxnAsync(Request("a", 0), ["a"], alone: false, cancel.Token);
        var next = Txn(batcher, "b");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Equal("b", await AloneAsync(0));
        Answer(0, 1);
        Assert.True((await next).Succeeded);
    }

    [Fact]
    public async Task ABatchEtcdRefusesAsAWhole_IsSentAgain_MemberByMember()
    {
        var (first, b, c) = await BAndCInOneBatchAsync();
        Fail(1, new StoreUnavailableException("refused", new RpcException(new Status(StatusCode.InvalidArgument, "etcdserver: too many operations in txn request"))));
        var alone = new[] { await AloneAsync(2), await AloneAsync(3) };
        Assert.Equal(["b", "c"], alone.Order(StringComparer.Ordinal));
        Answer(2, 2);
        Answer(3, 3);

        Assert.True((await b).Succeeded);
        Assert.True((await c).Succeeded);
        await first;
    }

    [Fact]
    public async Task AnyOtherFaultOfABatch_IsEveryMembersFault()
    {
        var (first, b, c) = await BAndCInOneBatchAsync();
        var fault = new StoreUnavailableException("etcd is down", new RpcException(new Status(StatusCode.Unavailable, "down")));
        Fail(1, fault);

        Assert.Same(fault, await Assert.ThrowsAsync<StoreUnavailableException>(() => b));
        Assert.Same(fault, await Assert.ThrowsAsync<StoreUnavailableException>(() => c));
        Assert.Equal(2, _calls.Count);
        await first;
    }

    [Fact]
    public async Task AMember_ChangedSomething_OnlyWhenItPutsOrDeletesAKeyThatWasThere()
    {
        var batcher = Batcher(batchLimit: 32);

        var put = batcher.TxnAsync(Request("p", 0), ["p"], alone: false, CancellationToken.None);
        (await CallAsync(0)).Done.SetResult(Response(true, 5, new ResponseOp { ResponsePut = new PutResponse() }));
        var deletedNothing = batcher.TxnAsync(Request("d", 0), ["d"], alone: false, CancellationToken.None);
        (await CallAsync(1)).Done.SetResult(Response(true, 6, new ResponseOp { ResponseDeleteRange = new DeleteRangeResponse { Deleted = 0 } }));
        var deletedOne = batcher.TxnAsync(Request("e", 0), ["e"], alone: false, CancellationToken.None);
        (await CallAsync(2)).Done.SetResult(Response(true, 7, new ResponseOp { ResponseDeleteRange = new DeleteRangeResponse { Deleted = 1 } }));
        var read = batcher.TxnAsync(Request("r", 0), ["r"], alone: false, CancellationToken.None);
        (await CallAsync(3)).Done.SetResult(Response(true, 8, new ResponseOp { ResponseRange = new RangeResponse() }));

        Assert.Equal(new TxnResult(true, 5, Changed: true) { DeletedNothing = None }, await put);
        Assert.Equal(new TxnResult(true, 6, Changed: false) { DeletedNothing = new HashSet<int> { 0 } }, await deletedNothing);
        Assert.Equal(new TxnResult(true, 7, Changed: true) { DeletedNothing = None }, await deletedOne);
        Assert.Equal(new TxnResult(true, 8, Changed: false) { DeletedNothing = None }, await read);
    }

    [Fact]
    public void AResult_EqualsAnother_OnlyWithTheSameDeletesThatFoundNothing()
    {
        Assert.Equal(new TxnResult(true, 5) { DeletedNothing = new HashSet<int> { 1, 2 } }, new TxnResult(true, 5) { DeletedNothing = new HashSet<int> { 2, 1 } });
        Assert.NotEqual(new TxnResult(true, 5) { DeletedNothing = new HashSet<int> { 1 } }, new TxnResult(true, 5) { DeletedNothing = new HashSet<int> { 2 } });
        Assert.NotEqual(new TxnResult(true, 5) { DeletedNothing = None }, new TxnResult(true, 5));
        Assert.NotEqual(new TxnResult(true, 5), new TxnResult(true, 5) { DeletedNothing = None });
        Assert.NotEqual(new TxnResult(true, 5), new TxnResult(true, 6));
        Assert.NotEqual(new TxnResult(true, 5), new TxnResult(false, 5));
        Assert.NotEqual(new TxnResult(true, 5), new TxnResult(true, 5, Changed: false));
        Assert.Equal(new TxnResult(true, 5) { DeletedNothing = new HashSet<int> { 1 } }.GetHashCode(), new TxnResult(true, 5) { DeletedNothing = new HashSet<int> { 1 } }.GetHashCode());
    }

    [Fact]
    public async Task BatchedMembers_EachNameTheirOwnDeletesThatFoundNothing_ByTheirPositionAmongTheirWrites()
    {
        var batcher = Batcher(batchLimit: 32);
        var first = Txn(batcher, "a");
        var call = await CallAsync(0);
        var putThenDelete = batcher.TxnAsync(Request("b", 0), ["b"], alone: false, CancellationToken.None);
        var deleteThenDelete = batcher.TxnAsync(Request("c", 0), ["c"], alone: false, CancellationToken.None);
        var threeDeletes = batcher.TxnAsync(Request("d", 0), ["d"], alone: false, CancellationToken.None);
        var deleteThenPut = batcher.TxnAsync(Request("e", 0), ["e"], alone: false, CancellationToken.None);
        call.Done.SetResult(Response(true, 10, new ResponseOp { ResponsePut = new PutResponse() }));
        await first;

        var outer = new TxnResponse { Succeeded = true, Header = new ResponseHeader { Revision = 11 } };
        outer.Responses.Add(new ResponseOp { ResponseTxn = Member(new ResponseOp { ResponsePut = new PutResponse() }, new ResponseOp { ResponseDeleteRange = new DeleteRangeResponse { Deleted = 0 } }) });
        outer.Responses.Add(new ResponseOp { ResponseTxn = Member(new ResponseOp { ResponseDeleteRange = new DeleteRangeResponse { Deleted = 0 } }, new ResponseOp { ResponseDeleteRange = new DeleteRangeResponse { Deleted = 1 } }) });
        outer.Responses.Add(new ResponseOp { ResponseTxn = Member(Deleted(0), Deleted(2), Deleted(0)) });
        outer.Responses.Add(new ResponseOp { ResponseTxn = Member(Deleted(1), new ResponseOp { ResponsePut = new PutResponse() }) });
        (await CallAsync(1)).Done.SetResult(outer);

        Assert.Equal(new TxnResult(true, 11, Changed: true) { DeletedNothing = new HashSet<int> { 1 } }, await putThenDelete);
        Assert.Equal(new TxnResult(true, 11, Changed: true) { DeletedNothing = new HashSet<int> { 0 } }, await deleteThenDelete);
        Assert.Equal(new TxnResult(true, 11, Changed: true) { DeletedNothing = new HashSet<int> { 0, 2 } }, await threeDeletes);
        Assert.Equal(new TxnResult(true, 11, Changed: true) { DeletedNothing = None }, await deleteThenPut);

        static ResponseOp Deleted(long count) => new() { ResponseDeleteRange = new DeleteRangeResponse { Deleted = count } };

        static TxnResponse Member(params ResponseOp[] responses)
        {
            var member = new TxnResponse { Succeeded = true };
            member.Responses.AddRange(responses);
            return member;
        }
    }

    /// <summary>"a" alone, answered; then "b" and "c" together in the second call, not answered yet.</summary>
    private async Task<(Task<TxnResult> First, Task<TxnResult> B, Task<TxnResult> C)> BAndCInOneBatchAsync()
    {
        var batcher = Batcher(batchLimit: 32);
        var first = Txn(batcher, "a");
        var b = Txn(batcher, "b");
        var c = Txn(batcher, "c");
        Answer(0, 1);
        Assert.Equal(["b", "c"], await MembersAsync(1));
        return (first, b, c);
    }

    private TxnBatcher Batcher(int batchLimit) => new((request, _) =>
    {
        var call = new Call(request);
        lock (_calls)
        {
            _calls.Add(call);
        }

        return call.Done.Task;
    }, inFlight: 1, batchLimit);

    /// <summary>A transaction that puts <paramref name="name"/> (and compares <paramref name="alsoKey"/>, when given).</summary>
    private static Task<TxnResult> Txn(TxnBatcher batcher, string name, string? alsoKey = null, bool succeeds = true, bool alone = false)
    {
        var request = Request(name, 0);
        if (!succeeds)
        {
            request.Compare.Add(new Etcdserverpb.Compare { Key = ByteString.CopyFromUtf8("fails"), Target = Etcdserverpb.Compare.Types.CompareTarget.Version });
        }

        return batcher.TxnAsync(request, alsoKey is null ? [name] : [name, alsoKey], alone, CancellationToken.None);
    }

    /// <summary>The value size that makes a one-put <see cref="Request"/> of <paramref name="name"/> weigh exactly
    /// <paramref name="bytes"/> (the length prefixes grow with the value, so it is searched for).</summary>
    private static int SizedTo(string name, int bytes)
    {
        var value = bytes;
        while (Request(name, 0, valueBytes: value).CalculateSize() > bytes)
        {
            value--;
        }

        Assert.Equal(bytes, Request(name, 0, valueBytes: value).CalculateSize());
        return value;
    }

    /// <summary>A request that puts <paramref name="name"/> and <paramref name="more"/> keys after it.</summary>
    private static TxnRequest Request(string name, int more, int valueBytes = 1)
    {
        var request = new TxnRequest();
        for (var i = 0; i <= more; i++)
        {
            var key = i == 0 ? name : $"{name}/{i}";
            request.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = ByteString.CopyFromUtf8(key), Value = ByteString.CopyFrom(new byte[valueBytes]) } });
        }

        return request;
    }

    /// <summary>The names the <paramref name="index"/>th call carries as members of a batch.</summary>
    private async Task<List<string>> MembersAsync(int index)
    {
        var call = await CallAsync(index);
        Assert.All(call.Request.Success, op => Assert.Equal(RequestOp.RequestOneofCase.RequestTxn, op.RequestCase));
        return [.. call.Request.Success.Select(op => op.RequestTxn.Success[0].RequestPut.Key.ToStringUtf8())];
    }

    /// <summary>The name the <paramref name="index"/>th call carries alone (not as a batch).</summary>
    private async Task<string> AloneAsync(int index)
    {
        var call = await CallAsync(index);
        Assert.Equal(RequestOp.RequestOneofCase.RequestPut, call.Request.Success[0].RequestCase);
        return call.Request.Success[0].RequestPut.Key.ToStringUtf8();
    }

    private async Task<List<string>> MembersOrAloneAsync(int index)
    {
        var call = await CallAsync(index);
        return call.Request.Success[0].RequestCase == RequestOp.RequestOneofCase.RequestTxn ? await MembersAsync(index) : [await AloneAsync(index)];
    }

    /// <summary>The <paramref name="index"/>th call, once it is made (a call after an answer is made on another thread).</summary>
    private async Task<Call> CallAsync(int index)
    {
        for (var waited = 0; ; waited++)
        {
            lock (_calls)
            {
                if (_calls.Count > index)
                {
                    return _calls[index];
                }
            }

            Assert.True(waited < 1000, $"call {index} was not made");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Answers the <paramref name="index"/>th call: a batch member by member (each as its own compares say), or
    /// a lone transaction.</summary>
    private void Answer(int index, long revision)
    {
        var call = _calls[index];
        var ops = call.Request.Success;
        if (ops.Count > 0 && ops[0].RequestCase == RequestOp.RequestOneofCase.RequestTxn)
        {
            var outer = Response(true, revision);
            outer.Responses.AddRange(ops.Select(op => new ResponseOp { ResponseTxn = Lone(op.RequestTxn, revision) }));
            call.Done.SetResult(outer);
        }
        else
        {
            call.Done.SetResult(Lone(call.Request, revision));
        }
    }

    private void Fail(int index, Exception fault) => _calls[index].Done.SetException(fault);

    /// <summary>A transaction's answer: it succeeds unless it compares (the test's failing compare), and then puts.</summary>
    private static TxnResponse Lone(TxnRequest request, long revision) => request.Compare.Count == 0
        ? Response(true, revision, [.. request.Success.Select(_ => new ResponseOp { ResponsePut = new PutResponse() })])
        : Response(false, revision);

    private static TxnResponse Response(bool succeeded, long revision, params ResponseOp[] responses)
    {
        var response = new TxnResponse { Succeeded = succeeded, Header = new ResponseHeader { Revision = revision } };
        response.Responses.AddRange(responses);
        return response;
    }

    private sealed record Call(TxnRequest Request)
    {
        public TaskCompletionSource<TxnResponse> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}