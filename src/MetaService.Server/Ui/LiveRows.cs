using System.Globalization;

using MetaService.Server.Watch;

using Microsoft.Extensions.Options;

namespace MetaService.Server.Ui;

/// <summary>
/// <c>GET /ui/live?since=R</c>: the console tenant's function changes after revision <c>R</c> (the list page's), as
/// Server-Sent Events for the page's script, from the server's one watch of functions (<see cref="WatchHubs"/>: no store
/// watch of its own, the events the API's watch sends, secrets masked for viewers). A stream lasts at most
/// <see cref="Lifetime"/>; the browser then opens it again with <c>Last-Event-ID</c>, and the session is proved again,
/// so a revoked token stops the rows at the latest then (204 when it no longer signs in).
/// </summary>
public static class LiveRows
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    internal static async Task<IResult> StreamAsync(HttpContext context, WatchHubs hubs, IOptions<WatchOptions> options, ILogger<WatchHubs> logger, CancellationToken cancellationToken)
    {
        var user = ConsoleUser.Of(context);
        if (!user.SignedIn || hubs.Find(WatchKind.Functions) is not { } hub)
        {
            return TypedResults.NoContent();
        }

        var ring = await hub.RingAsync(cancellationToken);
        var now = await hub.Store.GetRevisionAsync(cancellationToken);
        var from = now + 1;
        var resume = context.Request.Headers["Last-Event-ID"].ToString();
        var since = resume.Length > 0 ? resume : context.Request.Query["since"].ToString();
        if (long.TryParse(since, NumberStyles.None, CultureInfo.InvariantCulture, out var after) && after <= now
            && await hub.ResumesAfterAsync(ring, after, cancellationToken))
        {
            // From the page's revision (or the last event it saw): nothing written since the page was read is missed.
            // Older than the store keeps: from now (the page may miss a change; a reload shows it).
            from = after + 1;
        }

        var filter = new WatchFilter(hub.Kind.ScopeOf(user.Tenant), null, user.Masked);
        return new WatchStream(hub, ring, filter, from, Lifetime, options.Value, logger);
    }
}