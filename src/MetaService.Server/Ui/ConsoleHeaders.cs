namespace MetaService.Server.Ui;

/// <summary>
/// Headers on every console answer: nothing but the server's own stylesheet and script may run or load (no inline code,
/// no other origin), no page may frame it, no page of it is kept by a cache or names itself in a referrer. Assets, which
/// hold no data, may be cached (<see cref="ConsoleAssets"/> sets their own).
/// </summary>
internal static class ConsoleHeaders
{
    public const string Policy = "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static Task Add(object state)
    {
        var context = (HttpContext)state;
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = Policy;
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        if (!context.Request.Path.StartsWithSegments(UiRegistration.Root + "/assets", StringComparison.Ordinal))
        {
            headers.CacheControl = "no-store";
        }

        return Task.CompletedTask;
    }
}