using System.Globalization;

using MetaService.Server.Wire;

using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace MetaService.Server.Limits;

/// <summary>
/// The size of a request's head: its request line (<c>Limits:RequestLineBytes</c>, 414), its header lines
/// (<c>Limits:RequestHeadersBytes</c>, 431) and their number (<c>Limits:RequestHeaderCount</c>, 431). Kestrel refuses
/// such requests itself, before any middleware runs, with an empty body; so its own limits are set to
/// <see cref="KestrelFactor"/> times these, and this check, the first of the pipeline, answers the requests in between
/// with a <c>{code, message}</c> body. Past Kestrel's limits, and for requests Kestrel cannot parse (400), the answer stays
/// Kestrel's, without a body (docs/compatibility.md).
/// </summary>
internal static class RequestHead
{
    /// <summary>How much larger Kestrel's own limits are than the ones checked here.</summary>
    public const int KestrelFactor = 4;

    public static IServiceCollection AddRequestHead(this IServiceCollection services)
    {
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<LimitsOptions>>((kestrel, limits) =>
        {
            var settings = limits.Value;
            kestrel.Limits.MaxRequestLineSize = settings.RequestLineBytes * KestrelFactor;
            kestrel.Limits.MaxRequestHeadersTotalSize = settings.RequestHeadersBytes * KestrelFactor;
            kestrel.Limits.MaxRequestHeaderCount = settings.RequestHeaderCount * KestrelFactor;
        });
        return services;
    }

    public static WebApplication UseRequestHead(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<IOptions<LimitsOptions>>().Value;
        app.Use((context, next) => Check(context, settings) is { } refusal
            ? WireErrors.RefuseAsync(context, refusal.Status, refusal.Status, refusal.Message)
            : next(context));
        return app;
    }

    private static (int Status, string Message)? Check(HttpContext context, LimitsOptions settings)
    {
        var request = context.Request;
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path.Value ?? "";
        // As HTTP/1.1 sends it: METHOD SP target SP protocol CRLF.
        var line = request.Method.Length + target.Length + request.Protocol.Length + 4;
        if (line > settings.RequestLineBytes)
        {
            return (StatusCodes.Status414UriTooLong, $"the request line has {Number(line)} bytes; at most {Number(settings.RequestLineBytes)} are accepted (Limits:RequestLineBytes): "
                + "shorten the path and query");
        }

        long bytes = 0;
        var count = 0;
        foreach (var (name, values) in request.Headers)
        {
            foreach (var value in values)
            {
                // name: value CRLF
                bytes += name.Length + (value?.Length ?? 0) + 4;
                count++;
            }
        }

        if (count > settings.RequestHeaderCount)
        {
            return (StatusCodes.Status431RequestHeaderFieldsTooLarge, $"the request has {Number(count)} header lines; at most {Number(settings.RequestHeaderCount)} are accepted (Limits:RequestHeaderCount)");
        }

        return bytes > settings.RequestHeadersBytes
            ? (StatusCodes.Status431RequestHeaderFieldsTooLarge, $"the request's header lines have {Number(bytes)} bytes; at most {Number(settings.RequestHeadersBytes)} are accepted (Limits:RequestHeadersBytes)")
            : null;
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}