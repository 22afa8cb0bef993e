using System.Net;
using System.Text;
using System.Text.Json.Nodes;

using MetaService.Core.Storage;
using MetaService.Server.Ui.Admin;

namespace MetaService.Server.Tests.Ui;

/// <summary>The pod pools page over HTTP without a browser: admins only (each form as well as the page), a size that is
/// not a whole number refused on the page with the form as typed and nothing written, each change's notice, an update
/// and a delete the service takes or refuses, and the pages of a long list.</summary>
public sealed class PoolsPageTests : IAsyncLifetime
{
    private const string Root = "/ui/podpools";

    private readonly MetaServiceFactory _factory = AuthSetup.Factory();
    private string _admin = "";

    public async ValueTask InitializeAsync() => _admin = await AuthSetup.AdminTokenAsync(_factory);

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Theory]
    [InlineData("editor")]
    [InlineData("viewer")]
    public async Task ANonAdmin_Gets403_OnThePageAndOnEveryForm_AndNothingIsWritten(string role)
    {
        await CreatePoolAsync("p1");
        using var client = await ConsoleClient.SignedInAsAsync(_factory, _admin, role, "t1");
        var answers = await _factory.Store.NothingWrittenAsync(async () => new[]
        {
            await client.GetAsync(Root, TestContext.Current.CancellationToken),
            await ConsoleClient.SubmitAsync(client, Root, ("id", "p2"), ("size", "1")),
            await ConsoleClient.SubmitAsync(client, Root + "/p1", ("size", "1"), ("maxSize", "1")),
            await ConsoleClient.SubmitAsync(client, Root + "/p1/delete"),
        });
        using var page = answers[0];
        using var create = answers[1];
        using var update = answers[2];
        using var delete = answers[3];

        foreach (var response in new[] { page, create, update, delete })
        {
            var html = await ConsoleClient.TextAsync(response);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains("Only an admin manages pod pools.", html);
            Assert.DoesNotContain("create-pool", html);
        }
    }

    [Theory]
    [InlineData("2.5", "4", "size '2.5' is not a whole number")]
    [InlineData("2", "four", "max_size 'four' is not a whole number")]
    public async Task ASizeThatIsNotAWholeNumber_IsRefusedOnThePage_WithTheFormAsTyped(string size, string maxSize, string message)
    {
        using var client = await ConsoleClient.SignedInAsync(_factory, _admin);

        using var response = await _factory.Store.NothingWrittenAsync(() => ConsoleClient.SubmitAsync(client, Root, ("id", "p1"), ("group", "g1"), ("size", size), ("maxSize", maxSize), ("image", "img:1"), ("initImage", "init:1"), ("reuse", "on")));

        var html = await ConsoleClient.TextAsync(response);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<p class=\"problem\" role=\"alert\">" + message.Replace("'", "&#x27;", StringComparison.Ordinal) + ". check input parameters</p>", html);
        foreach (var (field, value) in new[] { ("pool-id", "p1"), ("pool-group", "g1"), ("pool-size", size), ("pool-max-size", maxSize), ("pool-image", "img:1"), ("pool-init-image", "init:1") })
        {
            Assert.Matches($"id=\"{field}\" name=\"[A-Za-z]+\"[^>]* value=\"{System.Text.RegularExpressions.Regex.Escape(value)}\"", html);
        }

        Assert.Contains("name=\"reuse\" type=\"checkbox\" checked", html);
    }

    [Fact]
    public async Task ThePage_OffersABlankCreateForm_OfSize1_WithoutReuse()
    {
        using var client = await ConsoleClient.SignedInAsync(_factory, _admin);

        var html = await ConsoleClient.PageAsync(client, Root);

        foreach (var (field, value) in new[] { ("pool-id", ""), ("pool-group", ""), ("pool-size", "1"), ("pool-max-size", ""), ("pool-image", ""), ("pool-init-image", "") })
        {
            Assert.Matches($"id=\"{field}\" name=\"[A-Za-z]+\"[^>]* value=\"{value}\"", html);
        }

        Assert.Contains("name=\"reuse\" type=\"checkbox\"", html);
        Assert.DoesNotContain("name=\"reuse\" type=\"checkbox\" checked", html);
    }

    [Fact]
    public async Task ADeleteWithoutAValidFormToken_Is400_AndDeletesNothing()
    {
        await CreatePoolAsync("p1");
        using var client = await ConsoleClient.SignedInAsync(_factory, _admin);

        using var response = await _factory.Store.NothingWrittenAsync(() => ConsoleClient.PostAsync(client, Root + "/p1/delete", (Server.Ui.ConsolePage.AntiforgeryField, "CfDJ8-not-a-token")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("no valid antiforgery token", await ConsoleClient.TextAsync(response));
    }

    [Fact]
    public async Task APoolCreatedOnThePage_HasEveryFieldAsTyped()
    {
        using var client = await ConsoleClient.SignedInAsync(_factory, _admin);

        using var response = await ConsoleClient.SubmitAsync(client, Root, ("id", " p1 "), ("group", " g1 "), ("size", " +2 "), ("maxSize", ""), ("image", " img:1 "), ("initImage", " init:1 "), ("reuse", "on"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(Root + "?done=created", response.Headers.Location!.OriginalString);
        var pool = await PoolAsync("p1");
        // A blank max size is 0, which the service takes as the size.
        Assert.Equal(("g1", 2, 2, "img:1", "init:1", true), ((string)pool["group"]!, (int)pool["size"]!, (int)pool["max_size"]!, (string)pool["image"]!, (string)pool["init_image"]!, (bool)pool["reuse"]!));
    }

    [Fact]
    public async Task APoolCreatedWithoutReuse_DoesNotReusePods()
    {
        using var client = await ConsoleClient.SignedInAsync(_factory, _admin);

        using var response = await ConsoleClient.SubmitAsync(client, Root, ("id", "p1"), ("size", "1"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.False((bool)(await PoolAsync("p1"))["reuse"]!);
    }

    [Fact]
    public async Task APoolTheServiceRefuses_IsShownWithItsMessage_AndItsStatus()
    {
        await CreatePoolAsync("p1");
        using var client = await ConsoleClient.SignedInAsync(_factory, _admin);

        using var response = await ConsoleClient.SubmitAsync(client, Root, ("id", "p1"), ("size", "1"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("<p class=\"problem\" role=\"alert\">", await ConsoleClient.TextAsync(response));
    }

    [Theory]
    [InlineData("created", "Created the pod pool.")]
    [InlineData("updated", "Saved the pool&#x27;s size.")]
    [InlineData("deleted", "Deleted the pod pool (the platform removes its pods).")]
    public async Task EachChange_IsNoticedOnThePageItGoesTo(string done, string notice)
    {
        using var client = await ConsoleClient.SignedInAsync(_factory, _admin);

        using var response = await client.GetAsync(Root + "?done=" + done, TestContext.Current.CancellationToken);
        using var other = await client.GetAsync(Root + "?done=other", TestContext.Current.CancellationToken);

        Assert.Contains("<p class=\"notice\" role=\"status\">" + notice + "</p>", await ConsoleClient.TextAsync(response));
        Assert.DoesNotContain("class=\"notice\"", await ConsoleClient.TextAsync(other));
    }

    [Fact]
    public async Task ARunningPoolsSize_IsSavedOnThePage()
    {
        await CreatePoolAsync("p1");
        await SetStatusAsync("p1", 4);
        using var client = await ConsoleClient.SignedInAsync(_factory, _admin);

        using var response = await ConsoleClient.SubmitAsync(client, Root + "/p1", ("size", "3"), ("maxSize", " 5 "));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(Root + "?done=updated", response.Headers.Location!.OriginalString);
        var pool = await PoolAsync("p1");
        Assert.Equal((3, 5), ((int)pool["size"]!, (int)pool["max_size"]!));
    }

    [Theory]
    [InlineData("p1", "x", "1", HttpStatusCode.BadRequest, "Pool p1 not saved: size &#x27;x&#x27; is not a whole number. check input parameters")]
    [InlineData("p1", "1", "1.5", HttpStatusCode.BadRequest, "Pool p1 not saved: max_size &#x27;1.5&#x27; is not a whole number. check input parameters")]
    [InlineData("nope", "1", "1", HttpStatusCode.NotFound, "Pool nope not saved: ")]
    public async Task ASizeChangeRefused_SaysWhichPoolAndWhy_AndChangesNothing(string id, string size, string maxSize, HttpStatusCode status, string problem)
    {
        await CreatePoolAsync("p1");
        await SetStatusAsync("p1", 4);
        using var client = await ConsoleClient.SignedInAsync(_factory, _admin);

        using var response = await _factory.Store.NothingWrittenAsync(() => ConsoleClient.SubmitAsync(client, Root + "/" + id, ("size", size), ("maxSize", maxSize)));

        Assert.Equal(status, response.StatusCode);
        Assert.Contains("<p class=\"problem\" role=\"alert\">" + problem, await ConsoleClient.TextAsync(response));
    }

    [Fact]
    public async Task ADeletedPool_IsShownWithItsSizesAndNoForms()
    {
        await CreatePoolAsync("p1");
        using var client = await ConsoleClient.SignedInAsync(_factory, _admin);

        using var response = await ConsoleClient.SubmitAsync(client, Root + "/p1/delete");
        using var unknown = await ConsoleClient.SubmitAsync(client, Root + "/nope/delete");
        using var page = await client.GetAsync(Root, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(Root + "?done=deleted", response.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("<p class=\"problem\" role=\"alert\">Pool nope not deleted: ", await ConsoleClient.TextAsync(unknown));
        var html = await ConsoleClient.TextAsync(page);
        Assert.Contains("<td data-field=\"status\">deleted</td>", html);
        Assert.Contains("2, 4", html);
        Assert.DoesNotContain("action=\"/ui/podpools/p1", html);
    }

    [Fact]
    public async Task ALongList_IsShownInPagesOf50()
    {
        for (var i = 0; i < PoolsPage.PageSize + 1; i++)
        {
            await CreatePoolAsync($"p{i:D3}");
        }

        using var client = await ConsoleClient.SignedInAsync(_factory, _admin);

        using var first = await client.GetAsync(Root, TestContext.Current.CancellationToken);
        using var second = await client.GetAsync(Root + "?page=2", TestContext.Current.CancellationToken);
        using var zero = await client.GetAsync(Root + "?page=0", TestContext.Current.CancellationToken);
        using var text = await client.GetAsync(Root + "?page=two", TestContext.Current.CancellationToken);

        var one = await ConsoleClient.TextAsync(first);
        Assert.Contains("<caption>Pod pools 1 to 50 of 51</caption>", one);
        Assert.Contains("<a href=\"/ui/podpools?page=2\" rel=\"next\">Next page</a>", one);
        Assert.DoesNotContain("Previous page", one);
        var two = await ConsoleClient.TextAsync(second);
        Assert.Contains("<caption>Pod pools 51 to 51 of 51</caption>", two);
        Assert.Contains("<a href=\"/ui/podpools\">Previous page</a>", two);
        Assert.DoesNotContain("Next page", two);
        Assert.Contains("<caption>Pod pools 1 to 50 of 51</caption>", await ConsoleClient.TextAsync(zero));
        Assert.Contains("<caption>Pod pools 1 to 50 of 51</caption>", await ConsoleClient.TextAsync(text));
    }

    [Fact]
    public async Task NoPools_IsSaid()
    {
        using var client = await ConsoleClient.SignedInAsync(_factory, _admin);

        using var response = await client.GetAsync(Root, TestContext.Current.CancellationToken);

        Assert.Contains("<p class=\"empty\">No pod pools.</p>", await ConsoleClient.TextAsync(response));
    }

    [Theory]
    [InlineData(0, "new")]
    [InlineData(1, "creating")]
    [InlineData(2, "update pending")]
    [InlineData(3, "updating")]
    [InlineData(4, "running")]
    [InlineData(5, "failed")]
    [InlineData(6, "deleted")]
    [InlineData(17, "17")]
    public void EachStatus_HasItsName(int status, string name) => Assert.Equal(name, PoolsView.Status(status));

    [Theory]
    [InlineData("", 0)]
    [InlineData(" ", 0)]
    [InlineData(null, 0)]
    [InlineData(" 7 ", 7)]
    [InlineData("+3", 3)]
    [InlineData("-1", -1)]
    public void ASizeAsTyped_IsAWholeNumber_BlankBeingZero(string? text, int value)
    {
        Assert.True(PoolDraft.Number(text, "size").TryGet(out var number, out _));
        Assert.Equal(value, number);
    }

    [Theory]
    [InlineData("1e3")]
    [InlineData("1,000")]
    [InlineData("(1)")]
    public void ASizeThatIsNotAWholeNumber_IsRefused(string text) =>
        Assert.False(PoolDraft.Number(text, "size").TryGet(out _, out _));

    [Theory]
    [InlineData(1, 50, false)]
    [InlineData(1, 51, true)]
    [InlineData(2, 100, false)]
    [InlineData(2, 101, true)]
    public void ANextPage_IsOfferedWhileMorePoolsFollow(int index, int count, bool next) =>
        Assert.Equal(next, new PoolsView(null!) { PageIndex = index, Count = count }.HasNext);

    private async Task CreatePoolAsync(string id)
    {
        using var admin = AuthSetup.Bearer(_factory, _admin);
        using var response = await admin.PostAsync("/serverless/v1/podpools", new StringContent($$"""{"pools":[{"id":"{{id}}","size":2,"max_size":4}]}""", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        await Wire.OkAsync(response);
    }

    private async Task<JsonNode> PoolAsync(string id)
    {
        using var admin = AuthSetup.Bearer(_factory, _admin);
        using var response = await admin.GetAsync("/serverless/v1/podpools?id=" + id, TestContext.Current.CancellationToken);
        return (await Wire.OkAsync(response))["result"]!["pools"]![0]!;
    }

    /// <summary>A pool as the platform leaves it once it has acted: the status it reports.</summary>
    private async Task SetStatusAsync(string id, int status)
    {
        var key = "/yr/podpools/info/" + id;
        var stored = JsonNode.Parse((await _factory.Store.GetAsync(key, TestContext.Current.CancellationToken))!.Value)!;
        stored["status"] = status;
        await _factory.Store.TxnAsync([], [new WriteOp.Put(key, Encoding.UTF8.GetBytes(stored.ToJsonString()))], TestContext.Current.CancellationToken);
    }
}