using System.Net;

namespace MetaService.Server.Tests;

/// <summary><c>Idempotency-Key</c> across two servers on one etcd: the key lives in the store, so a retry through the other
/// replica is replayed, and concurrent requests through both with one key make one write.</summary>
public sealed class IdempotencyReplicaTests() : TwoReplicas(new())
{
    private const string Functions = "/serverless/v1/functions";

    [Fact]
    public async Task ACreateThroughA_RetriedThroughB_IsReplayed_AndWritesNothing()
    {
        using var a = A.CreateClient();
        using var b = B.CreateClient();
        var key = Guid.NewGuid().ToString();
        var body = Bodies.Faas(Names.Faas()).ToJsonString();
        var first = await IdempotencyTests.PostAsync(a, Functions, body, key);

        var retry = await A.Store.NothingWrittenAsync(() => IdempotencyTests.PostAsync(b, Functions, body, key));

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(first.Body, retry.Body);
        Assert.Equal(["true"], retry.Headers.GetValues("Idempotent-Replayed"));
    }

    [Fact]
    public async Task ConcurrentCreatesThroughAAndB_WithOneKey_MakeOneWrite_AndIdenticalAnswers()
    {
        using var a = A.CreateClient();
        using var b = B.CreateClient();
        var key = Guid.NewGuid().ToString();
        var body = Bodies.Faas(Names.Faas()).ToJsonString();

        var answers = await A.Store.OneWriteAsync(() => Task.WhenAll(Enumerable.Range(0, 32).Select(i => IdempotencyTests.PostAsync(i % 2 == 0 ? a : b, Functions, body, key))));

        Assert.All(answers, x => Assert.Equal(HttpStatusCode.OK, x.Status));
        Assert.Single(answers.Select(x => x.Body).Distinct());
        Assert.Single(answers, x => !x.Headers.Contains("Idempotent-Replayed"));
    }
}