using System.Diagnostics;
using System.Net;

namespace MetaService.Server.Tests;

/// <summary>Two servers on one etcd in mode token: a token made through A works on B, and once revoked through A, B
/// refuses it as soon as its watch brings the deletion (a bounded wait that fails, naming what B still answered).</summary>
public sealed class TokenRevocationTests() : TwoReplicas(AuthSetup.Factory())
{
    /// <summary>The issue asks for 1 s; the bound leaves room for a loaded test machine, and the test reports the time taken.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task RevokedThroughA_IsRefusedByB()
    {
        using var adminA = AuthSetup.Bearer(A, await AuthSetup.AdminTokenAsync(A));
        var (id, token) = await AuthSetup.CreateTokenAsync(adminA, "alpha", "viewer");
        using var onB = AuthSetup.Bearer(B, token);
        using (var before = await onB.GetAsync(Api.ServerlessRoot, TestContext.Current.CancellationToken))
        {
            await Wire.OkAsync(before);
        }

        await AuthSetup.RevokeAsync(adminA, id);
        var clock = Stopwatch.StartNew();
        HttpStatusCode last;
        do
        {
            using var response = await onB.GetAsync(Api.ServerlessRoot, TestContext.Current.CancellationToken);
            last = response.StatusCode;
        }
        while (last != HttpStatusCode.Unauthorized && clock.Elapsed < Bound);

        Assert.True(last == HttpStatusCode.Unauthorized, $"replica B still answered {(int)last} to the revoked token {Bound.TotalSeconds} s after the revocation");
        TestContext.Current.SendDiagnosticMessage($"replica B refused the revoked token after {clock.Elapsed.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task MadeThroughA_WorksOnBAtOnce()
    {
        using var adminA = AuthSetup.Bearer(A, await AuthSetup.AdminTokenAsync(A));
        using (B.CreateClient())
        {
        }

        var (_, token) = await AuthSetup.CreateTokenAsync(adminA, "alpha", "editor");
        using var onB = AuthSetup.Bearer(B, token);

        using var response = await onB.GetAsync(Api.ServerlessRoot, TestContext.Current.CancellationToken);

        await Wire.OkAsync(response);
    }
}