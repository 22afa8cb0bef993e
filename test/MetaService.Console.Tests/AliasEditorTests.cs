using System.Text.Json.Nodes;

using Microsoft.Playwright;

namespace MetaService.Console.Tests;

/// <summary>The alias weights editor: weights saved through the page are what the API then answers; a sum other than
/// 100 shows the server's message and writes nothing; rollback puts the previous weights back; a viewer gets no editor.</summary>
public sealed class AliasEditorTests(ConsoleBrowser browser)
{
    [Fact]
    public async Task SavedWeights_AreWhatTheApiAnswers_AndRollbackRestoresThePrevious()
    {
        var (tenant, name) = await AliasedFunctionAsync();
        var page = await browser.NewPageAsync();
        await ConsoleBrowser.SignInAsync(page, await browser.Server.CreateTokenAsync(tenant, "editor"));
        await page.GotoAsync("/ui/functions/" + Uri.EscapeDataString(name));
        await page.GetByRole(AriaRole.Link, new() { Name = "Edit the weights of prod" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("v1")).ToHaveValueAsync("100");

        await page.GetByLabel("v1").FillAsync("70");
        await page.GetByLabel("v2").FillAsync("30");
        await Assertions.Expect(page.Locator("#weights-total")).ToHaveTextAsync("100");
        await ConsoleBrowser.ScreenshotAsync(page, "alias-weights");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save weights" }).ClickAsync();

        await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("Saved");
        Assert.Equal("""{"v1":70,"v2":30}""", (await AliasAsync(tenant, name))["routingConfig"]!.ToJsonString());
        await Assertions.Expect(page.GetByLabel("v2")).ToHaveValueAsync("30");

        await page.GetByRole(AriaRole.Button, new() { Name = "Rollback" }).ClickAsync();

        await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("Rolled back");
        Assert.Equal("""{"v1":100}""", (await AliasAsync(tenant, name))["routingConfig"]!.ToJsonString());
        await Assertions.Expect(page.GetByLabel("v1")).ToHaveValueAsync("100");
    }

    [Fact]
    public async Task WeightsNotSummingTo100_ShowTheServersMessage_AndWriteNothing()
    {
        var (tenant, name) = await AliasedFunctionAsync();
        var before = await AliasAsync(tenant, name);
        var page = await browser.NewPageAsync();
        await ConsoleBrowser.SignInAsync(page, await browser.Server.CreateTokenAsync(tenant, "editor"));
        await page.GotoAsync($"/ui/functions/{Uri.EscapeDataString(name)}/aliases/prod");

        await page.GetByLabel("v1").FillAsync("60");
        await page.GetByLabel("v2").FillAsync("30");
        await Assertions.Expect(page.Locator("#weights-total")).ToHaveTextAsync("90");
        var answer = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Save weights" }).ClickAsync(),
            r => r.Request.Method == "POST");

        Assert.Equal(400, answer.Status);
        await Assertions.Expect(page.Locator("[role=alert]")).ToContainTextAsync("total routing weight is not 100");
        await Assertions.Expect(page.GetByLabel("v1")).ToHaveValueAsync("60");
        var after = await AliasAsync(tenant, name);
        Assert.Equal(before["revisionId"]!.ToString(), after["revisionId"]!.ToString());
        Assert.Equal("""{"v1":100}""", after["routingConfig"]!.ToJsonString());
    }

    [Fact]
    public async Task Viewer_HasNoEditLink_AndIsRefusedTheEditor()
    {
        var (tenant, name) = await AliasedFunctionAsync();
        var page = await browser.NewPageAsync();
        await ConsoleBrowser.SignInAsync(page, await browser.Server.CreateTokenAsync(tenant, "viewer"));
        await page.GotoAsync("/ui/functions/" + Uri.EscapeDataString(name));
        await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = "v1: 100 percent" })).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Edit the weights of prod" })).ToHaveCountAsync(0);

        var answer = await page.GotoAsync($"/ui/functions/{Uri.EscapeDataString(name)}/aliases/prod");

        Assert.Equal(403, answer!.Status);
        await Assertions.Expect(page.Locator("#weights-form")).ToHaveCountAsync(0);
    }

    private async Task<JsonObject> AliasAsync(string tenant, string name) =>
        (JsonObject)(await browser.Server.SendAsync(HttpMethod.Get, $"/serverless/v1/functions/{name}/aliases/prod", tenant, null))["result"]!;

    /// <summary>A function with versions v1 and v2 and an alias <c>prod</c> sending everything to v1.</summary>
    private async Task<(string Tenant, string Name)> AliasedFunctionAsync()
    {
        var server = browser.Server;
        var tenant = Fresh.Tenant();
        var name = "0-ui-alias" + Fresh.Hex();
        var path = "/serverless/v1/functions/" + name;
        var body = Bodies.Yrlib(name);
        var revision = await server.CreateFunctionAsync(tenant, body);
        await server.SendAsync(HttpMethod.Post, path + "/versions", tenant, new() { ["revisionId"] = revision, ["versionNumber"] = "v1", ["kind"] = "yrlib" });
        body.Remove("name");
        body["revisionId"] = revision;
        body["memory"] = 1024;
        revision = await server.UpdateFunctionAsync(tenant, name, body);
        await server.SendAsync(HttpMethod.Post, path + "/versions", tenant, new() { ["revisionId"] = revision, ["versionNumber"] = "v2", ["kind"] = "yrlib" });
        await server.SendAsync(HttpMethod.Post, path + "/aliases", tenant, new() { ["name"] = "prod", ["functionVersion"] = "v1", ["routingConfig"] = new JsonObject { ["v1"] = 100 } });
        return (tenant, name);
    }
}