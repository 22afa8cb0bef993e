using MetaService.Server.Auth;
using MetaService.Server.Ui.Editing;

using Microsoft.AspNetCore.Antiforgery;

namespace MetaService.Server.Ui;

/// <summary>
/// The web console at <c>/ui</c>: pages rendered on the server by Razor components (static rendering, no circuit, no
/// WebAssembly), plain HTML forms, one small script for live rows (docs/decisions/0002-web-console.md). The API's gate
/// lets every <c>/ui</c> route through (they are anonymous to it); <see cref="ConsoleGate"/> then proves the console's
/// own cookie with the same credential schemes, so the cookie is taken on <c>/ui</c> only and the API never reads it.
/// </summary>
public static class UiRegistration
{
    public const string Root = "/ui";

    public static IServiceCollection AddWebConsole(this IServiceCollection services)
    {
        services.AddRazorComponents();
        StoreKeyRing.Register(services);
        services.Configure<AntiforgeryOptions>(o =>
        {
            o.Cookie.Name = "metaservice-ui-antiforgery";
            o.Cookie.Path = Root;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.HttpOnly = true;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.FormFieldName = ConsolePage.AntiforgeryField;
            o.HeaderName = null;
        });
        services.AddSingleton<ConsoleGate>();
        return services;
    }

    /// <summary>The console's gate (on <c>/ui</c> paths only) and its routes; none is in the API description.</summary>
    public static WebApplication MapWebConsole(this WebApplication app)
    {
        var gate = app.Services.GetRequiredService<ConsoleGate>();
        app.UseWhen(c => c.Request.Path.StartsWithSegments(Root, StringComparison.Ordinal), branch => branch.Use(gate.InvokeAsync));

        var ui = app.MapGroup(Root).RequireAccess(Access.Anonymous).ExcludeFromDescription();
        ui.MapGet("", FunctionsPage.RenderAsync);
        ui.MapGet("/functions/{name}", FunctionPage.RenderAsync);
        ui.MapGet("/signin", SignInPage.Render);
        ui.MapPost("/signin", ConsoleSession.SignInAsync);
        ui.MapPost("/signout", ConsoleSession.SignOutAsync);
        ui.MapPost("/tenant", ConsoleSession.SwitchTenantAsync);
        ui.MapGet("/new", CreatePage.Render);
        ui.MapPost("/new", CreatePage.PostAsync);
        ui.MapGet("/functions/{name}/edit", EditPage.RenderAsync);
        ui.MapPost("/functions/{name}/edit", EditPage.PostAsync);
        ui.MapPost("/functions/{name}/publish", PublishAction.PostAsync);
        ui.MapGet("/functions/{name}/restore", RestorePage.RenderAsync);
        ui.MapPost("/functions/{name}/restore", RestorePage.PostAsync);
        ui.MapGet("/live", LiveRows.StreamAsync);
        ui.MapGet("/assets/{file}", ConsoleAssets.Serve);
        ui.MapGet("/history", History.TimelinePage.RenderTrailAsync);
        ui.MapGet("/functions/{name}/history", History.TimelinePage.RenderFunctionAsync);
        ui.MapGet("/functions/{name}/compare", History.ComparePage.RenderAsync);
        ui.MapGet("/functions/{name}/aliases/{alias}", Aliases.AliasPage.RenderAsync);
        ui.MapPost("/functions/{name}/aliases/{alias}", Aliases.AliasPage.SaveAsync);
        ui.MapPost("/functions/{name}/aliases/{alias}/rollback", Aliases.AliasPage.RollbackAsync);
        ui.MapGet("/podpools", Admin.PoolsPage.RenderAsync);
        ui.MapPost("/podpools", Admin.PoolsPage.CreateAsync);
        ui.MapPost("/podpools/{id}", Admin.PoolsPage.UpdateAsync);
        ui.MapPost("/podpools/{id}/delete", Admin.PoolsPage.DeleteAsync);
        ui.MapGet("/functions/{name}/reserved", Admin.ReservedPage.RenderAsync);
        ui.MapPost("/functions/{name}/reserved", Admin.ReservedPage.WriteAsync);
        ui.MapPost("/functions/{name}/reserved/delete", Admin.ReservedPage.DeleteAsync);
        return app;
    }
}