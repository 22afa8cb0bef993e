using System.Diagnostics;
using System.Text.RegularExpressions;

using MetaService.Server.Wire;

namespace MetaService.Server.Observability;

/// <summary>
/// One structured line per request (method, route, status, duration, the tenant as sent (<see cref="Printable"/>), error code, trace id), and the
/// <c>X-Trace-Id</c> header: the caller's when it is a plain token, a new one otherwise, echoed in the answer
/// and put in the logging scope of everything the request logs. Bodies and headers are never logged.
/// </summary>
internal static partial class AccessLog
{
    public const string TraceHeader = "X-Trace-Id";

    public static IApplicationBuilder UseAccessLog(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("MetaService.Access");
        var clock = app.ApplicationServices.GetRequiredService<TimeProvider>();
        var metrics = app.ApplicationServices.GetRequiredService<MetaMetrics>();
        return app.Use(async (context, next) =>
        {
            var started = clock.GetTimestamp();
            var traceId = TraceIdOf(context.Request);
            context.Items[TraceItem] = traceId;
            context.Response.Headers[TraceHeader] = traceId;
            try
            {
                using (TraceScope(logger, traceId))
                {
                    await next(context);
                }
            }
            finally
            {
                // Written outside the request's scope: the line names its trace id once, in the message, whichever
                // formatter prints it (the simple console formatter would print the scope's copy too).
                var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(no route)";
                var code = WireResults.CodeOf(context);
                if (code != 0)
                {
                    metrics.Refused(code);
                }

                if (logger.IsEnabled(LogLevel.Information))
                {
                    var tenant = context.Request.Headers["X-Tenant-Id"].ToString();
                    var duration = Math.Round(clock.GetElapsedTime(started).TotalMilliseconds, 3);
                    LogRequest(logger, context.Request.Method, route, context.Response.StatusCode, duration, tenant.Length == 0 ? "default" : Printable.Of(tenant), code, traceId);
                }
            }
        });
    }

    /// <summary>The trace id of the request (what its answer's X-Trace-Id says), or null outside a request.</summary>
    public static string? TraceIdOf(HttpContext context) => context.Items.TryGetValue(TraceItem, out var id) ? id as string : null;

    private static readonly object TraceItem = new();

    /// <summary>Puts the request's trace id on its answer again, after the answer was cleared (a fault's).</summary>
    public static void Echo(HttpContext context)
    {
        if (TraceIdOf(context) is { } traceId)
        {
            context.Response.Headers[TraceHeader] = traceId;
        }
    }

    private static string TraceIdOf(HttpRequest request)
    {
        var given = request.Headers[TraceHeader].ToString();
        return given.Length > 0 && Token().IsMatch(given) ? given : ActivityTraceId.CreateRandom().ToHexString();
    }

    /// <summary>The scope every line of a request is logged in: one small object, made once per request.</summary>
    private static readonly Func<ILogger, string, IDisposable?> TraceScope = LoggerMessage.DefineScope<string>("TraceId:{TraceId}");

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "{Method} {Route} {Status} {DurationMs} ms tenant={Tenant} code={Code} trace={TraceId}")]
    private static partial void LogRequest(ILogger logger, string method, string route, int status, double durationMs, string tenant, int code, string traceId);

    /// <summary>What may be logged as given: 1 to 128 letters, digits and <c>-_.:@</c>; anything else could forge log lines.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9\-_.:@]{1,128}\z")]
    private static partial Regex Token();
}