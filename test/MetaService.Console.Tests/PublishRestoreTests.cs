using System.Text.Json.Nodes;

using Microsoft.Playwright;

namespace MetaService.Console.Tests;

/// <summary>Publish from the function page's action bar, restore from a version or a history entry (review, then
/// confirm), and a viewer, who sees none of these controls and whose forged posts are refused with 403.</summary>
public sealed class PublishRestoreTests(ConsoleBrowser browser)
{
    [Fact]
    public async Task Publish_AddsTheVersionToTheList()
    {
        var (tenant, name, page) = await EditorOnNewFunctionAsync();
        await page.GotoAsync($"/ui/functions/{Uri.EscapeDataString(name)}");

        await page.GetByLabel("Version description").FillAsync("from the console");
        await page.GetByRole(AriaRole.Button, new() { Name = "Publish" }).ClickAsync();

        var versions = page.GetByRole(AriaRole.Region, new() { Name = "Versions" });
        await Assertions.Expect(versions.Locator("tbody tr")).ToHaveCountAsync(2);
        await Assertions.Expect(versions).ToContainTextAsync("from the console");
        await ConsoleBrowser.ScreenshotAsync(page, "published");
        Assert.Equal(2, (await Api.VersionsAsync(browser.Server, tenant, name)).Count);
    }

    [Fact]
    public async Task RestoreFromAVersion_ReviewsTheChange_ThenPutsTheValueBack()
    {
        var (tenant, name, page) = await EditorOnNewFunctionAsync();
        var server = browser.Server;
        var revision = (string)(await Api.FunctionAsync(server, tenant, name))["revisionId"]!;
        await server.SendAsync(HttpMethod.Post, Api.Path(name) + "/versions", tenant, new() { ["revisionId"] = revision, ["versionNumber"] = "v1", ["kind"] = "faas" });
        var update = Bodies.Faas(name);
        update.Remove("name");
        update["revisionId"] = revision;
        update["timeout"] = 90;
        update["environment"] = new JsonObject { ["A"] = "1", ["SECRET"] = "s3cr3t-value" };
        await server.UpdateFunctionAsync(tenant, name, update);
        await page.GotoAsync($"/ui/functions/{Uri.EscapeDataString(name)}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Restore" }).ClickAsync();

        await page.GetByLabel("Restore the draft from").SelectOptionAsync("v1");
        await ConsoleBrowser.ScreenshotAsync(page, "restore");
        await page.GetByRole(AriaRole.Button, new() { Name = "Review" }).ClickAsync();

        var timeout = page.Locator("tr[data-path=timeout]");
        await Assertions.Expect(timeout).ToContainTextAsync("90");
        await Assertions.Expect(timeout).ToContainTextAsync("60");
        await ConsoleBrowser.ScreenshotAsync(page, "restore-review");
        Assert.Equal(90, (int)(await Api.FunctionAsync(server, tenant, name))["timeout"]!);

        await page.GetByRole(AriaRole.Button, new() { Name = "Restore" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "Resources" })).ToContainTextAsync("60 s");
        Assert.Equal(60, (int)(await Api.FunctionAsync(server, tenant, name))["timeout"]!);
    }

    [Fact]
    public async Task RestoreFromAHistoryEntry_PutsThatRecordBack()
    {
        var (tenant, name, page) = await EditorOnNewFunctionAsync();
        var server = browser.Server;
        var created = (long)(await server.SendAsync(HttpMethod.Get, Api.Path(name) + "/history", tenant, null))["result"]!["entries"]![0]!["revision"]!;
        var update = Bodies.Faas(name);
        update.Remove("name");
        update["revisionId"] = (string)(await Api.FunctionAsync(server, tenant, name))["revisionId"]!;
        update["memory"] = 512;
        await server.UpdateFunctionAsync(tenant, name, update);
        await page.GotoAsync($"/ui/functions/{Uri.EscapeDataString(name)}/restore");

        await page.GetByLabel("Restore the draft from").SelectOptionAsync("@" + created);
        await page.GetByRole(AriaRole.Button, new() { Name = "Review" }).ClickAsync();
        await Assertions.Expect(page.Locator("tr[data-path=memory]")).ToContainTextAsync("512");
        await page.GetByRole(AriaRole.Button, new() { Name = "Restore" }).ClickAsync();

        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync(name);
        Assert.Equal(128, (int)(await Api.FunctionAsync(server, tenant, name))["memory"]!);
    }

    [Fact]
    public async Task Viewer_SeesNoEditingControl_AndForgedPostsAre403_ChangingNothing()
    {
        var tenant = Fresh.Tenant();
        var name = "0@ui@vw" + Fresh.Hex();
        var revision = await Api.CreateAsync(browser.Server, tenant, name);
        var page = await browser.NewPageAsync();
        await ConsoleBrowser.SignInAsync(page, await browser.Server.CreateTokenAsync(tenant, "viewer"));
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "New function" })).ToHaveCountAsync(0);
        await page.GotoAsync($"/ui/functions/{Uri.EscapeDataString(name)}");

        await Assertions.Expect(page.Locator("[data-edit]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Actions" })).ToHaveCountAsync(0);
        var formToken = await page.Locator("input[name=__RequestVerificationToken]").First.InputValueAsync();
        var fn = Uri.EscapeDataString(name);
        var forged = new (string Path, Dictionary<string, string> Fields)[]
        {
            ("/ui/new", new() { ["name"] = "0@ui@forged", ["handler"] = "h.h", ["cpu"] = "300", ["memory"] = "128" }),
            ($"/ui/functions/{fn}/edit", new() { ["step"] = "save", ["revisionId"] = revision, ["timeout"] = "5" }),
            ($"/ui/functions/{fn}/publish", new() { ["revisionId"] = revision }),
            ($"/ui/functions/{fn}/restore", new() { ["step"] = "save", ["from"] = "@1", ["revisionId"] = revision }),
        };

        foreach (var (path, fields) in forged)
        {
            var form = page.APIRequest.CreateFormData();
            form.Set("__RequestVerificationToken", formToken);
            foreach (var (field, value) in fields)
            {
                form.Set(field, value);
            }

            var answer = await page.APIRequest.PostAsync(path, new() { Form = form, MaxRedirects = 0 });
            Assert.Equal(403, answer.Status);
        }

        Assert.Equal(403, (await page.GotoAsync($"/ui/functions/{fn}/edit"))!.Status);
        var function = await Api.FunctionAsync(browser.Server, tenant, name);
        Assert.Equal(revision, (string)function["revisionId"]!);
        Assert.Equal(1, await Api.CountAsync(browser.Server, tenant));
    }

    private async Task<(string Tenant, string Name, IPage Page)> EditorOnNewFunctionAsync()
    {
        var tenant = Fresh.Tenant();
        var name = "0@ui@pr" + Fresh.Hex();
        await Api.CreateAsync(browser.Server, tenant, name);
        var page = await browser.NewPageAsync();
        await ConsoleBrowser.SignInAsync(page, await browser.Server.CreateTokenAsync(tenant, "editor"));
        return (tenant, name, page);
    }
}