using Grpc.Core;

using MetaService.Core.Storage;
using MetaService.Etcd;

using Microsoft.Extensions.Logging.Abstractions;

using Xunit;

namespace MetaService.Store.Tests;

/// <summary>
/// Which faults of an etcd call are tried again, and what the caller is told when they are not: each gRPC fault etcd or
/// the channel reports, put in by the test, against a call that is idempotent (a read) or not (a write), with a clock
/// that moves a tenth of a second at each reading (so a retried call ends at its deadline after a few attempts). No
/// etcd member is reached: the call the connection runs is the test's.
/// </summary>
public sealed class EtcdRetryTests : IDisposable
{
    private const string Endpoint = "http://127.0.0.1:1";
    private readonly LeapingClock _clock = new(TimeSpan.FromSeconds(0.1));
    private readonly EtcdConnection _connection;

    public EtcdRetryTests() => _connection = new EtcdConnection(
        new EtcdStoreOptions { Endpoints = [Endpoint], RequestTimeout = TimeSpan.FromSeconds(1), AttemptTimeout = TimeSpan.FromMilliseconds(300) },
        _clock,
        NullLogger.Instance);

    public void Dispose() => _connection.Dispose();

    public static TheoryData<StatusCode, string> WritesThatCertainlyDidNotApply => new()
    {
        { StatusCode.Unavailable, "etcdserver: no leader" },
        { StatusCode.Unavailable, "etcdserver: not capable" },
        { StatusCode.Unavailable, "etcdserver: too many requests" },
        { StatusCode.Unavailable, "Error connecting to subchannel." },
        { StatusCode.Unavailable, "Connection refused (127.0.0.1:1)" },
        { StatusCode.Unavailable, "No connection could be made because the target machine actively refused it." },
    };

    [Theory]
    [MemberData(nameof(WritesThatCertainlyDidNotApply))]
    public async Task AWrite_IsTriedAgain_WhenTheFaultProvesNothingWasApplied(StatusCode status, string detail)
    {
        var (attempts, fault) = await FailingCallAsync(idempotent: false, new RpcException(new Status(status, detail)));

        Assert.True(attempts > 1, $"{status} '{detail}' was tried {attempts} time(s)");
        var unavailable = Assert.IsType<StoreUnavailableException>(fault);
        Assert.False(unavailable.OutcomeUnknown);
        Assert.DoesNotContain("may or may not", unavailable.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(StatusCode.Unavailable, "the connection was reset")]
    [InlineData(StatusCode.DeadlineExceeded, "Deadline Exceeded")]
    [InlineData(StatusCode.Internal, "stream terminated")]
    [InlineData(StatusCode.Unknown, "etcdserver: request timed out")]
    [InlineData(StatusCode.Internal, "etcdserver: no leader")] // only Unavailable says the member did not take it
    public async Task AWrite_WhoseFaultMayHaveComeAfterEtcdTookIt_IsNotTriedAgain_AndSaysTheOutcomeIsUnknown(StatusCode status, string detail)
    {
        var (attempts, fault) = await FailingCallAsync(idempotent: false, new RpcException(new Status(status, detail)));

        Assert.Equal(1, attempts);
        var unavailable = Assert.IsType<StoreUnavailableException>(fault);
        Assert.True(unavailable.OutcomeUnknown);
        Assert.StartsWith($"etcd ({Endpoint}) failed the call after 1 attempt(s) in ", unavailable.Message, StringComparison.Ordinal);
        Assert.EndsWith($" s: {status}: {detail.TrimEnd('.')}; the write may or may not have been applied: read it back before retrying", unavailable.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(StatusCode.Unavailable)]
    [InlineData(StatusCode.DeadlineExceeded)]
    [InlineData(StatusCode.Aborted)]
    [InlineData(StatusCode.ResourceExhausted)]
    [InlineData(StatusCode.Unknown)]
    [InlineData(StatusCode.Internal)]
    public async Task ARead_IsTriedAgain_OnEveryFaultThatMayPass_UntilItsDeadline(StatusCode status)
    {
        var (attempts, fault) = await FailingCallAsync(idempotent: true, new RpcException(new Status(status, "a passing fault")));

        Assert.True(attempts > 1, $"{status} was tried {attempts} time(s)");
        var unavailable = Assert.IsType<StoreUnavailableException>(fault);
        Assert.False(unavailable.OutcomeUnknown);
        Assert.Contains($"after {attempts} attempt(s)", unavailable.Message, StringComparison.Ordinal);
        Assert.EndsWith($": {status}: a passing fault", unavailable.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(StatusCode.InvalidArgument)]
    [InlineData(StatusCode.FailedPrecondition)]
    [InlineData(StatusCode.NotFound)]
    [InlineData(StatusCode.PermissionDenied)]
    public async Task ARead_IsNotTriedAgain_OnAFaultThatWillNotPass(StatusCode status)
    {
        var (attempts, fault) = await FailingCallAsync(idempotent: true, new RpcException(new Status(status, "a lasting fault")));

        Assert.Equal(1, attempts);
        Assert.False(Assert.IsType<StoreUnavailableException>(fault).OutcomeUnknown);
    }

    [Theory]
    [InlineData(StatusCode.InvalidArgument, "etcdserver: request is too large", true)]
    [InlineData(StatusCode.InvalidArgument, "etcdserver: Request Is Too Large", false)]
    [InlineData(StatusCode.ResourceExhausted, "grpc: received message larger than max (3145728 vs. 2621440)", true)]
    [InlineData(StatusCode.ResourceExhausted, "grpc: received Message Larger Than Max (3145728 vs. 2621440)", false)]
    public async Task AWriteEtcdRefusesForItsSize_IsTooLarge_AtOnce(StatusCode status, string detail, bool idempotent)
    {
        var (attempts, fault) = await FailingCallAsync(idempotent, new RpcException(new Status(status, detail)));

        Assert.Equal(1, attempts);
        var tooLarge = Assert.IsType<StoreWriteTooLargeException>(fault);
        Assert.Equal($"etcd refused the call as too large: {detail}", tooLarge.Message);
    }

    [Theory]
    [InlineData(StatusCode.InvalidArgument, "etcdserver: key is not provided")]
    [InlineData(StatusCode.OutOfRange, "etcdserver: request is too large")]
    [InlineData(StatusCode.ResourceExhausted, "etcdserver: too many requests")]
    public async Task OtherFaults_AreNotTooLarge(StatusCode status, string detail)
    {
        var (_, fault) = await FailingCallAsync(idempotent: true, new RpcException(new Status(status, detail)));

        Assert.IsType<StoreUnavailableException>(fault);
    }

    [Theory]
    [InlineData(StatusCode.Unauthenticated, "etcdserver: user name or password is invalid")]
    [InlineData(StatusCode.Unknown, "etcdserver: invalid auth token")]
    [InlineData(StatusCode.Unknown, "rpc error: code = Unauthenticated desc = etcdserver: Invalid Auth Token")]
    public async Task AWriteRefusedForItsToken_IsTriedAgain(StatusCode status, string detail)
    {
        var (attempts, fault) = await FailingCallAsync(idempotent: false, new RpcException(new Status(status, detail)));

        Assert.True(attempts > 1, $"{status} '{detail}' was tried {attempts} time(s)");
        Assert.False(Assert.IsType<StoreUnavailableException>(fault).OutcomeUnknown);
    }

    [Theory]
    [InlineData(true, 2)]
    [InlineData(false, 1)]
    public async Task AnAttemptCancelledByGrpc_IsADeadline_TriedAgainOnlyForARead(bool idempotent, int atLeast)
    {
        var (attempts, fault) = await FailingCallAsync(idempotent, new OperationCanceledException("the attempt's token"));

        Assert.True(attempts >= atLeast && (idempotent || attempts == 1), $"tried {attempts} time(s)");
        var unavailable = Assert.IsType<StoreUnavailableException>(fault);
        Assert.Equal(!idempotent, unavailable.OutcomeUnknown);
        Assert.Contains("DeadlineExceeded: the attempt's deadline passed", unavailable.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACallCancelledByItsCaller_IsNeitherRetriedNorAStoreFault()
    {
        using var cancelled = new CancellationTokenSource();
        var attempts = 0;

        await Assert.ThrowsAsync<OperationCanceledException>(() => _connection.CallAsync<int>("the call", idempotent: true, _ =>
        {
            attempts++;
            cancelled.Cancel();
            throw new OperationCanceledException(cancelled.Token);
        }, cancelled.Token));

        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task EachAttempt_EndsAtItsAttemptTimeout_OrAtTheCallsDeadline_WhicheverComesFirst()
    {
        var deadlines = new List<DateTime>();

        await Assert.ThrowsAsync<StoreUnavailableException>(() => _connection.CallAsync<int>("the call", idempotent: true, options =>
        {
            deadlines.Add(options.Deadline!.Value);
            throw new RpcException(new Status(StatusCode.Unavailable, "down"));
        }, TestContext.Current.CancellationToken));

        // The clock's readings: the call's start (0.0 s: its deadline is 1.0 s), then per attempt the attempt's start
        // and the check after its fault. An attempt starting at 0.1 s ends at 0.4 s; one starting at 0.9 s, at 1.0 s.
        var start = _clock.First.UtcDateTime;
        Assert.Equal(start.AddSeconds(0.4), deadlines[0]);
        Assert.Equal(start.AddSeconds(0.6), deadlines[1]);
        Assert.All(deadlines, d => Assert.True(d <= start.AddSeconds(1), $"{d:O} is after the call's deadline"));
    }

    private async Task<(int Attempts, Exception Fault)> FailingCallAsync(bool idempotent, Exception fault)
    {
        var attempts = 0;
        var thrown = await Assert.ThrowsAnyAsync<Exception>(() => _connection.CallAsync<int>("the call", idempotent, _ =>
        {
            attempts++;
            throw fault;
        }, TestContext.Current.CancellationToken));
        return (attempts, thrown);
    }
}