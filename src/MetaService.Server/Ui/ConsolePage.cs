using MetaService.Core.Catalog;

using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MetaService.Server.Ui;

/// <summary>What every page's frame shows: who is signed in, the tenant, the form token of this page's forms, and the
/// tenants an admin may pick from (those that have functions, at most <see cref="MaxTenants"/>).</summary>
public sealed record ConsolePage(ConsoleUser User, string FormToken, IReadOnlyList<string> Tenants)
{
    public const string AntiforgeryField = "__RequestVerificationToken";

    public const int MaxTenants = 200;

    public static ConsolePage For(HttpContext context)
    {
        var user = ConsoleUser.Of(context);
        var token = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context).RequestToken ?? "";
        IReadOnlyList<string> tenants = user.MaySwitchTenant
            ? [.. context.RequestServices.GetRequiredService<FunctionCatalog>().Counts().Select(c => c.Tenant).Order(StringComparer.Ordinal).Take(MaxTenants)]
            : [];
        return new ConsolePage(user, token, tenants);
    }

    /// <summary>A page component rendered with its parameters, with <paramref name="status"/>.</summary>
    public static RazorComponentResult<T> Render<T>(Dictionary<string, object?> parameters, int status = StatusCodes.Status200OK)
        where T : Microsoft.AspNetCore.Components.IComponent =>
        new(parameters) { StatusCode = status, ContentType = "text/html; charset=utf-8" };
}