using System.Globalization;
using System.Text.RegularExpressions;

using MetaService.Core;
using MetaService.Core.Functions;
using MetaService.Server.ApiDescription;
using MetaService.Server.Auth;
using MetaService.Server.Wire;

using Microsoft.Extensions.Options;

namespace MetaService.Server.Watch;

/// <summary><c>GET /serverless/v1/watch?kind=functions|reserve-instance|podpools|aliases&amp;name=&amp;since=</c>: the changes
/// of one kind as Server-Sent Events, from after <c>since</c> (or <c>Last-Event-ID</c>), else from now.</summary>
public static partial class WatchApi
{
    public const string Route = "/serverless/v1/watch";

    /// <summary>The longest <c>timeoutSeconds</c> a watch may ask for (a day).</summary>
    public const int MaxTimeoutSeconds = 86_400;

    public static IEndpointRouteBuilder MapWatchApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(Route, Watch).WithTags("watch").WithRouteDoc(WatchDocs.Watch);
        return app;
    }

    private static async Task<IResult> Watch(HttpRequest request, WatchHubs hubs, IOptions<WatchOptions> options, ILogger<WatchHubs> logger, CancellationToken cancellationToken)
    {
        if (!Parse(request, hubs).TryGet(out var parsed, out var error))
        {
            return WireResults.Error(error);
        }

        var (hub, filter, since, duration) = parsed;
        if (!hub.Kind.Scoped && Caller.Of(request.HttpContext) is { Role: < Role.Admin })
        {
            WireResults.SetCode(request.HttpContext, AuthGate.ForbiddenCode);
            return TypedResults.Json(new ErrorBody(AuthGate.ForbiddenCode, "role admin is required to watch pod pools"), WatchJson.Default.ErrorBody, statusCode: StatusCodes.Status403Forbidden);
        }

        var ring = await hub.RingAsync(cancellationToken);
        // From now: after the store's revision (not the ring's, which may trail a write this client has just made).
        var from = await hub.Store.GetRevisionAsync(cancellationToken) + 1;
        if (since is { } after)
        {
            from = after + 1;
            if (after > ring.Published && after > await hub.Store.GetRevisionAsync(cancellationToken))
            {
                return WireResults.Error(MetaError.InvalidParam($"since (or Last-Event-ID) {after} is ahead of the store's revision: give a revision a list or an event answered"));
            }

            if (!await hub.ResumesAfterAsync(ring, after, cancellationToken))
            {
                WireResults.SetCode(request.HttpContext, StatusCodes.Status410Gone);
                return TypedResults.Json(new ErrorBody(StatusCodes.Status410Gone, $"the changes after revision {after} are no longer kept; list again and watch from the list's X-Meta-Revision"),
                    WatchJson.Default.ErrorBody, statusCode: StatusCodes.Status410Gone);
            }
        }

        return new WatchStream(hub, ring, filter, from, duration, options.Value, logger);
    }

    private static Outcome<(WatchHub Hub, WatchFilter Filter, long? Since, TimeSpan? Duration)> Parse(HttpRequest request, WatchHubs hubs)
    {
        var query = request.Query;
        var kindText = query["kind"].ToString();
        if (query["kind"].Count > 1 || hubs.Find(kindText.Length == 0 ? WatchKind.Functions : kindText) is not { } hub)
        {
            return MetaError.InvalidParam($"kind must be one of {string.Join(", ", WatchHubs.Kinds)}");
        }

        var since = Revision(query["since"].ToString(), "since");
        var resume = Revision(request.Headers["Last-Event-ID"].ToString(), "Last-Event-ID");
        if (!since.TryGet(out var sinceValue, out var error) || !resume.TryGet(out var resumeValue, out error))
        {
            return error;
        }

        TimeSpan? duration = null;
        var timeout = query["timeoutSeconds"].ToString();
        if (timeout.Length > 0)
        {
            if (!int.TryParse(timeout, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds is < 1 or > MaxTimeoutSeconds)
            {
                return MetaError.InvalidParam($"timeoutSeconds must be a whole number of seconds from 1 to {MaxTimeoutSeconds}");
            }

            duration = TimeSpan.FromSeconds(seconds);
        }

        string? name = query["name"].ToString();
        if (query["name"].Count > 1 || (name.Length > 0 && !NamePattern().IsMatch(name)))
        {
            return MetaError.InvalidParam("name must be one function name (or pool id) of 1 to 256 letters, digits and @ . _ : -");
        }

        var scope = "";
        if (hub.Kind.Scoped)
        {
            if (!WireRequests.Tenant(request).TryGet(out var tenant, out error))
            {
                return error;
            }

            scope = hub.Kind.ScopeOf(tenant);
            if (name.Length > 0 && hub.Kind.Name is WatchKind.Functions or WatchKind.Aliases)
            {
                if (!FunctionNames.TryParsePathName(name, tenant, out var reference, out error))
                {
                    return error;
                }

                name = reference.Name;
            }
        }

        var filter = new WatchFilter(scope, name.Length == 0 ? null : name, Caller.Masks(request.HttpContext));
        return (hub, filter, resumeValue ?? sinceValue, duration);
    }

    /// <summary>A revision: digits only, 0 to 2^63-1; empty: none.</summary>
    private static Outcome<long?> Revision(string text, string what)
    {
        if (text.Length == 0)
        {
            return (long?)null;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var revision)
            ? new Outcome<long?>(revision, null)
            : MetaError.InvalidParam($"{what} must be a store revision: a whole number from 0 (an event's id, or a list's X-Meta-Revision)");
    }

    [GeneratedRegex("^[A-Za-z0-9@._:-]{1,256}$")]
    private static partial Regex NamePattern();
}