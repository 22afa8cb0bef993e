using System.Text.Json.Nodes;

using Microsoft.Playwright;

namespace MetaService.Console.Tests;

/// <summary>A function's page: its configuration in groups with environment values masked (revealed on request to an
/// editor only), its versions, an alias's weights drawn as bars; a viewer sees no edit control.</summary>
public sealed class FunctionPageTests(ConsoleBrowser browser)
{
    private const string Secret = "hunter2-secret";

    [Fact]
    public async Task FunctionPage_GroupsTheConfiguration_MasksEnvironmentValues_AndDrawsAliasWeights()
    {
        var (tenant, name) = await PublishedFunctionAsync();
        var page = await browser.NewPageAsync();
        await ConsoleBrowser.SignInAsync(page, await browser.Server.CreateTokenAsync(tenant, "editor"));

        await page.GotoAsync("/ui/functions/" + Uri.EscapeDataString(name));

        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync(name);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 2 }))
            .ToHaveTextAsync(["Code", "Resources", "Instances", "Hooks", "Environment", "Versions", "Aliases", "Reserved instances"]);
        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "Code" })).ToContainTextAsync("handler.handler");
        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "Resources" })).ToContainTextAsync("300 m");
        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "Hooks" })).ToContainTextAsync("handler.init");
        var environment = page.GetByRole(AriaRole.Region, new() { Name = "Environment" });
        await Assertions.Expect(environment.Locator("tbody tr")).ToHaveTextAsync(["DB_PASSWORD******", "MODE******"]);
        Assert.DoesNotContain(Secret, await page.ContentAsync(), StringComparison.Ordinal);
        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "Versions" }).Locator("tbody th")).ToHaveTextAsync(["latest", "v1", "v2"]);
        await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = "v1: 70 percent" })).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = "v2: 30 percent" })).ToHaveCountAsync(1);
        await ConsoleBrowser.ScreenshotAsync(page, "function");

        await page.GetByRole(AriaRole.Link, new() { Name = "Reveal values" }).ClickAsync();

        await Assertions.Expect(environment.Locator("tbody tr")).ToHaveTextAsync(["DB_PASSWORD" + Secret, "MODEfast"]);
    }

    [Fact]
    public async Task Viewer_SeesNoEditControl_AndCannotRevealValues()
    {
        var (tenant, name) = await PublishedFunctionAsync();
        var page = await browser.NewPageAsync();
        await ConsoleBrowser.SignInAsync(page, await browser.Server.CreateTokenAsync(tenant, "viewer"));

        await page.GotoAsync($"/ui/functions/{Uri.EscapeDataString(name)}?reveal=environment");

        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "Environment" }).Locator("tbody tr")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("[data-edit]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Reveal values" })).ToHaveCountAsync(0);
        Assert.DoesNotContain(Secret, await page.ContentAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownFunction_IsANotFoundPage()
    {
        var tenant = Fresh.Tenant();
        var page = await browser.NewPageAsync();
        await ConsoleBrowser.SignInAsync(page, await browser.Server.CreateTokenAsync(tenant, "viewer"));

        var answer = await page.GotoAsync("/ui/functions/0-ui-absent");

        Assert.Equal(404, answer!.Status);
        await Assertions.Expect(page.Locator("[role=alert]")).ToContainTextAsync("not found");
    }

    /// <summary>A faas function with two environment variables, published as v1 and (after an update) v2, and an alias
    /// <c>prod</c> sending 70 % to v1 and 30 % to v2.</summary>
    private async Task<(string Tenant, string Name)> PublishedFunctionAsync()
    {
        var server = browser.Server;
        var tenant = Fresh.Tenant();
        var name = "0@ui@fn" + Fresh.Hex();
        var path = "/serverless/v1/functions/" + Uri.EscapeDataString(name);
        var revision = await server.CreateFunctionAsync(tenant, Bodies.Faas(name, new JsonObject { ["DB_PASSWORD"] = Secret, ["MODE"] = "fast" }));
        await server.SendAsync(HttpMethod.Post, path + "/versions", tenant, new() { ["revisionId"] = revision, ["versionNumber"] = "v1", ["versionDesc"] = "first", ["kind"] = "faas" });
        var update = Bodies.Faas(name, new JsonObject { ["DB_PASSWORD"] = Secret, ["MODE"] = "fast" });
        update.Remove("name");
        update["revisionId"] = revision;
        update["memory"] = 256;
        revision = await server.UpdateFunctionAsync(tenant, name, update);
        await server.SendAsync(HttpMethod.Post, path + "/versions", tenant, new() { ["revisionId"] = revision, ["versionNumber"] = "v2", ["versionDesc"] = "second", ["kind"] = "faas" });
        await server.SendAsync(HttpMethod.Post, path + "/aliases", tenant, new()
        {
            ["name"] = "prod",
            ["functionVersion"] = "v1",
            ["routingConfig"] = new JsonObject { ["v1"] = 70, ["v2"] = 30 },
        });
        return (tenant, name);
    }
}