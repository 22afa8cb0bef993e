using System.Globalization;
using System.Threading.RateLimiting;

using MetaService.Server.Wire;

using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace MetaService.Server.Limits;

/// <summary>
/// A token bucket per <see cref="Caller"/>: <c>Limits:RequestBurst</c> requests at once, refilled at
/// <c>Limits:RequestsPerSecond</c>. A request past it answers 429 with <c>Retry-After</c> and a <c>{code, message}</c>
/// body, before it reaches a route (so it stores nothing). Probes and scrapes (<c>/healthz</c>, <c>/metrics</c>) are not counted.
/// </summary>
internal static class RequestRate
{
    public static IServiceCollection AddRequestRate(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<LimitsOptions>>((options, limits) =>
        {
            var settings = limits.Value;
            if (settings.RequestsPerSecond == 0)
            {
                return;
            }

            var bucket = Bucket(settings);
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => Counted(context.Request.Path)
                ? RateLimitPartition.GetTokenBucketLimiter(Caller.KeyOf(context), _ => bucket)
                : RateLimitPartition.GetNoLimiter("-"));
            options.OnRejected = (rejected, _) =>
            {
                var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)) : 1;
                rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return new ValueTask(WireErrors.RefuseAsync(rejected.HttpContext, StatusCodes.Status429TooManyRequests, 429,
                    $"too many requests from this caller: at most {settings.RequestsPerSecond.ToString(CultureInfo.InvariantCulture)} per second; retry after {seconds} s"));
            };
        });
        return services;
    }

    /// <summary>Whether a request to <paramref name="path"/> counts against the rate (the API description lists its 429).</summary>
    internal static bool Counted(PathString path) =>
        !path.StartsWithSegments("/healthz", StringComparison.Ordinal) && !path.StartsWithSegments("/metrics", StringComparison.Ordinal);

    /// <summary>Refilled every 100 ms (or once per request when the rate is below 10 a second), so that a caller that
    /// keeps to the rate is never refused.</summary>
    internal static TokenBucketRateLimiterOptions Bucket(LimitsOptions settings)
    {
        var period = TimeSpan.FromSeconds(Math.Max(0.1, 1 / settings.RequestsPerSecond));
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = settings.RequestBurst,
            TokensPerPeriod = Math.Max(1, (int)Math.Round(settings.RequestsPerSecond * period.TotalSeconds)),
            ReplenishmentPeriod = period,
            QueueLimit = 0,
            AutoReplenishment = true,
        };
    }
}