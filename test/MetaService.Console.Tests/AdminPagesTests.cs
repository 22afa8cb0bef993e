using System.Text.Json.Nodes;

using Microsoft.Playwright;

namespace MetaService.Console.Tests;

/// <summary>The admin pages: an admin creates, changes and deletes a pod pool and a function's reserved instances through
/// the pages (the services' own messages shown on refusal) and the API answers them; a viewer or editor gets no admin
/// link and 403 on the admin pages.</summary>
public sealed class AdminPagesTests(ConsoleBrowser browser)
{
    [Fact]
    public async Task Admin_CreatesAndDeletesAPodPool_AndSeesTheServicesMessages()
    {
        var id = "uipool-" + Fresh.Hex();
        var page = await browser.NewPageAsync();
        await ConsoleBrowser.SignInAsync(page, browser.Server.AdminToken!);
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Console" }).GetByRole(AriaRole.Link, new() { Name = "Pod pools" }).ClickAsync();

        await page.GetByLabel("Id", new() { Exact = true }).FillAsync("Bad_Id");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create pool" }).ClickAsync();
        await Assertions.Expect(page.Locator("[role=alert]")).ToContainTextAsync("pod pool id can contain only lowercase letters");
        Assert.Equal(0, (int)(await PoolsAsync("Bad_Id"))["count"]!);

        await page.GetByLabel("Id", new() { Exact = true }).FillAsync(id);
        await page.GetByLabel("Size", new() { Exact = true }).FillAsync("2");
        await page.GetByLabel("Max size", new() { Exact = true }).FillAsync("4");
        await page.GetByLabel("Image", new() { Exact = true }).FillAsync("registry.local/pool:1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create pool" }).ClickAsync();

        await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("Created");
        var created = (JsonObject)(await PoolsAsync(id))["pools"]![0]!;
        Assert.Equal((2, 4, "registry.local/pool:1"), ((int)created["size"]!, (int)created["max_size"]!, (string)created["image"]!));
        await ConsoleBrowser.ScreenshotAsync(page, "podpools");

        // A new pool waits for the platform: the service refuses a size change until then, and says so.
        await page.GetByLabel($"Size of {id}", new() { Exact = true }).FillAsync("3");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Save the size of {id}" }).ClickAsync();
        await Assertions.Expect(page.Locator("[role=alert]")).ToContainTextAsync("not allowed to update");
        Assert.Equal(2, (int)(await PoolsAsync(id))["pools"]![0]!["size"]!);

        await page.GetByRole(AriaRole.Button, new() { Name = $"Delete {id}" }).ClickAsync();
        await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("Deleted");
        Assert.Equal(6, (int)(await PoolsAsync(id))["pools"]![0]!["status"]!);
    }

    [Fact]
    public async Task Admin_ReservesInstances_UpdatesAndDeletesThem_AndTheApiAnswersThem()
    {
        var tenant = Fresh.Tenant();
        var name = "0@ui@rsv" + Fresh.Hex();
        await browser.Server.CreateFunctionAsync(tenant, Bodies.Faas(name));
        var page = await browser.NewPageAsync();
        await ConsoleBrowser.SignInAsync(page, browser.Server.AdminToken!);
        await page.Locator("#tenant-choice").FillAsync(tenant);
        await page.Locator("form[action='/ui/tenant'] button").ClickAsync();
        await page.GotoAsync("/ui/functions/" + Uri.EscapeDataString(name));
        await page.Locator("p.links").GetByRole(AriaRole.Link, new() { Name = "Reserved instances" }).ClickAsync();

        await page.GetByLabel("Label", new() { Exact = true }).FillAsync("gpu-a");
        await page.GetByLabel("Minimum", new() { Exact = true }).FillAsync("1");
        await page.GetByLabel("Maximum", new() { Exact = true }).FillAsync("2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("Created");
        Assert.Equal((1, 2), await ReservedAsync(tenant, name));

        await page.GetByLabel("Label", new() { Exact = true }).FillAsync("gpu-a");
        await page.GetByLabel("Minimum", new() { Exact = true }).FillAsync("5");
        await page.GetByLabel("Maximum", new() { Exact = true }).FillAsync("2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Update" }).ClickAsync();
        await Assertions.Expect(page.Locator("[role=alert]")).ToContainTextAsync("is less than minInstance");
        Assert.Equal((1, 2), await ReservedAsync(tenant, name));

        await page.GetByLabel("Minimum", new() { Exact = true }).FillAsync("2");
        await page.GetByLabel("Maximum", new() { Exact = true }).FillAsync("3");
        await page.GetByRole(AriaRole.Button, new() { Name = "Update" }).ClickAsync();
        await Assertions.Expect(page.Locator("#reserved tr[data-label=gpu-a] [data-field=max]")).ToHaveTextAsync("3");
        Assert.Equal((2, 3), await ReservedAsync(tenant, name));
        await ConsoleBrowser.ScreenshotAsync(page, "reserved");

        await page.GetByRole(AriaRole.Button, new() { Name = "Delete label gpu-a" }).ClickAsync();
        await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("Deleted");
        Assert.Equal(0, (int)(await browser.Server.SendAsync(HttpMethod.Get, ReservedPath(name), tenant, null))["total"]!);
    }

    [Theory]
    [InlineData("viewer")]
    [InlineData("editor")]
    public async Task NonAdmins_GetNoAdminLink_And403OnTheAdminPages(string role)
    {
        var tenant = Fresh.Tenant();
        var name = "0@ui@adm" + Fresh.Hex();
        await browser.Server.CreateFunctionAsync(tenant, Bodies.Faas(name));
        var page = await browser.NewPageAsync();
        await ConsoleBrowser.SignInAsync(page, await browser.Server.CreateTokenAsync(tenant, role));

        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Pod pools" })).ToHaveCountAsync(0);
        Assert.Equal(403, (await page.GotoAsync("/ui/podpools"))!.Status);
        await Assertions.Expect(page.Locator("#create-pool")).ToHaveCountAsync(0);
        Assert.Equal(403, (await page.GotoAsync($"/ui/functions/{Uri.EscapeDataString(name)}/reserved"))!.Status);
        await Assertions.Expect(page.Locator("#reserve-form")).ToHaveCountAsync(0);
        await page.GotoAsync("/ui/functions/" + Uri.EscapeDataString(name));
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Reserved instances" })).ToHaveCountAsync(0);
    }

    private async Task<JsonObject> PoolsAsync(string id) =>
        (JsonObject)(await browser.Server.SendAsync(HttpMethod.Get, "/serverless/v1/podpools?id=" + Uri.EscapeDataString(id), null, null))["result"]!;

    private static string ReservedPath(string name) => "/serverless/v1/functions/reserve-instance?funcName=" + Uri.EscapeDataString(name) + "&version=latest";

    private async Task<(long Min, long Max)> ReservedAsync(string tenant, string name)
    {
        var answer = await browser.Server.SendAsync(HttpMethod.Get, ReservedPath(name), tenant, null);
        var config = answer["results"]![0]!["instanceConfigInfos"]![0]!;
        return ((long)config["minInstance"]!, (long)config["maxInstance"]!);
    }
}