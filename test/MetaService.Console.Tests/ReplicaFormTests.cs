using System.Net;
using System.Text.RegularExpressions;

using MetaService.Etcd.Testing;

namespace MetaService.Console.Tests;

/// <summary>Two servers on one etcd, each with a home of its own: a console form rendered by one is accepted by the other,
/// because the keys that seal its antiforgery token live in the store (under MetaService's own root), not in a home.</summary>
public sealed partial class ReplicaFormTests
{
    [Fact]
    public async Task AFormRenderedByOneReplica_IsAcceptedByTheOther_TheKeysInTheStore()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var etcd = await EtcdCluster.StartAsync(1, cancellationToken);
        string[] store = ["--store", "etcd", "--etcd-endpoints", etcd.ClientUrls[0]];
        await using var a = await ConsoleServer.StartAsync(tokens: false, cancellationToken, store, ownProcess: true);
        await using var b = await ConsoleServer.StartAsync(tokens: false, cancellationToken, store, ownProcess: true);
        // Cookies are not told apart by port: the antiforgery cookie A sets goes to B, as behind one address.
        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        using var client = new HttpClient(handler);

        var page = await client.GetStringAsync(a.Url + "/ui", cancellationToken);
        var field = FormToken().Match(page);
        Assert.True(field.Success, "the list page of A has no form token");
        using var form = new FormUrlEncodedContent([new("__RequestVerificationToken", field.Groups["value"].Value), new("tenant", "other")]);
        using var answer = await client.PostAsync(b.Url + "/ui/tenant", form, cancellationToken);

        Assert.True(answer.StatusCode == HttpStatusCode.Redirect,
            $"B answered {(int)answer.StatusCode} to A's form: {await answer.Content.ReadAsStringAsync(cancellationToken)}");
        var keys = await etcd.EtcdctlAsync(["get", "--prefix", "/metaservice/console/keys/", "--keys-only"], cancellationToken);
        Assert.Single(keys.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"(?<value>[^\"]+)\"")]
    private static partial Regex FormToken();
}