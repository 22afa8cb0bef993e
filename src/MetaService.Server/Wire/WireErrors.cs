using System.Text.Json;

using MetaService.Core;
using MetaService.Core.Records;
using MetaService.Core.Storage;

using Microsoft.AspNetCore.WebUtilities;

namespace MetaService.Server.Wire;

/// <summary>
/// Every answer that is not a success carries a <c>{code, message}</c> body: faults (503 when the store is
/// unreachable, 500 otherwise), and the framework's own empty 4xx answers (unknown route, wrong method).
/// </summary>
public static partial class WireErrors
{
    public static IApplicationBuilder UseWireErrors(this WebApplication app)
    {
        app.UseSecurityHeaders();
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
                if (WithoutBody(context.Response))
                {
                    // The framework's own empty refusals (unknown route, wrong method, a 4xx a route answered bare).
                    var reason = ReasonPhrases.GetReasonPhrase(context.Response.StatusCode);
                    await WriteAsync(context, new ErrorBody(context.Response.StatusCode, $"{reason}: {context.Request.Method} {context.Request.Path}"));
                }
            }
            catch (UnreadableRecordException e) when (!context.Response.HasStarted)
            {
                // Reported (logged once per key) where it was met; the answer names the key to fix.
                ClearForError(context);
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                await WriteAsync(context, new ErrorBody(150500, e.Message));
            }
            catch (BadHttpRequestException e) when (!context.Response.HasStarted)
            {
                // The HTTP server's own refusals met while the body is read: too slow (408), too large (413), malformed
                // (400). The caller's doing, not a fault of the server: logged below error level.
                Refused(context, e.StatusCode, e.Message);

                ClearForError(context);
                await RefuseAsync(context, e.StatusCode, e.StatusCode, e.Message);
            }
            catch (StoreWriteTooLargeException e) when (!context.Response.HasStarted)
            {
                // Nothing was applied: the caller's write is too large for the store, not a fault of it.
                Refused(context, StatusCodes.Status413PayloadTooLarge, e.Message);

                ClearForError(context);
                await RefuseAsync(context, StatusCodes.Status413PayloadTooLarge, 4104,
                    "the write is larger than the metadata store accepts; make the function's members smaller" + MetaError.CheckInput);
            }
            catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
            {
                var unavailable = e is StoreUnavailableException or TimeoutException;
                var logger = FaultLogger(context);
                if (logger.IsEnabled(LogLevel.Error))
                {
                    LogFault(logger, e, context.Request.Method, Observability.Printable.Of(context.Request.Path.Value ?? ""));
                }

                ClearForError(context);
                context.Response.StatusCode = unavailable ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError;
                // The log has the cause; the answer names no store address or file.
                await WriteAsync(context, unavailable
                    ? new ErrorBody(122002, "the metadata store is unavailable; retry later (the server log has the cause)"
                        + (e is StoreUnavailableException { OutcomeUnknown: true } ? "; the write may or may not have been applied: read it back before retrying" : ""))
                    : new ErrorBody(150500, "internal server error; the server log has the details"));
            }
        });
        return app;
    }

    /// <summary>Clears what a route had put in the answer but the headers every answer carries (its trace id, the
    /// security headers), which were set before the route ran.</summary>
    private static void ClearForError(HttpContext context)
    {
        context.Response.Clear();
        Observability.AccessLog.Echo(context);
        SecurityHeaders.Add(context);
    }

    /// <summary>Whether an answer is an error still without a body (what the framework's status code pages would fill).</summary>
    private static bool WithoutBody(HttpResponse response) =>
        !response.HasStarted && response.StatusCode is >= 400 and < 600 && response.ContentLength is null && string.IsNullOrEmpty(response.ContentType);

    /// <summary>Answers <paramref name="status"/> with a <c>{code, message}</c> body, for middleware that refuses a request
    /// before it reaches a route.</summary>
    internal static Task RefuseAsync(HttpContext context, int status, int code, string message)
    {
        context.Response.StatusCode = status;
        return WriteAsync(context, new ErrorBody(code, message));
    }

    private static Task WriteAsync(HttpContext context, ErrorBody body)
    {
        WireResults.SetCode(context, body.Code);
        context.Response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(context.Response.Body, body, WireJson.Relaxed.ErrorBody, context.RequestAborted);
    }

    private static void Refused(HttpContext context, int status, string reason)
    {
        var logger = FaultLogger(context);
        if (logger.IsEnabled(LogLevel.Information))
        {
            var path = Observability.Printable.Of(context.Request.Path.Value ?? "");
            LogRefused(logger, context.Request.Method, path, status, reason);
        }
    }

    private static ILogger FaultLogger(HttpContext context) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("MetaService.Faults");

    [LoggerMessage(Level = LogLevel.Information, Message = "request {Method} {Path} refused with {Status}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string method, string path, int status, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "request {Method} {Path} failed")]
    private static partial void LogFault(ILogger logger, Exception exception, string method, string path);
}