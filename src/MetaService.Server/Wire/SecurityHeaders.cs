namespace MetaService.Server.Wire;

/// <summary>
/// Headers on every answer that keep a browser from misreading it: <c>X-Content-Type-Options: nosniff</c> (an error
/// body is never run as a script or a page), and on the API description's pages (<c>/scalar</c>) a refusal to be
/// framed by another site (<c>X-Frame-Options</c>, <c>frame-ancestors</c>), which would let it trick clicks.
/// </summary>
internal static class SecurityHeaders
{
    public const string ScalarPath = "/scalar";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        // Before the route runs; an answer cleared on its way (a fault's) gets them again (WireErrors).
        Add(context);
        return next(context);
    });

    internal static void Add(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        if (context.Request.Path.StartsWithSegments(ScalarPath, StringComparison.OrdinalIgnoreCase))
        {
            headers.XFrameOptions = "DENY";
            headers.ContentSecurityPolicy = "frame-ancestors 'none'";
        }
    }
}