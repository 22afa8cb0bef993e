using System.Globalization;

using MetaService.Core;
using MetaService.Core.Functions;
using MetaService.Server.Auth;
using MetaService.Server.Wire;

namespace MetaService.Server.Functions;

/// <summary>
/// The list routes paged with <c>limit</c> and <c>continue</c> (Kubernetes-style) instead of <c>pageIndex</c> and
/// <c>pageSize</c>: rows in key order, each page after the last key of the one before, so a version that exists from the
/// first page to the last is listed exactly once however the list changes meanwhile. Answers carry the next token and
/// the revision the page was read at (<c>X-Meta-Revision</c>). A token whose list began at a revision a watch could no
/// longer begin from (the server's functions watch no longer holds the changes after it, and the store has compacted
/// it) answers 410. The filters <c>kind</c>, <c>runtime</c> and <c>updatedSince</c> work in both kinds of paging.
/// </summary>
internal static class KeyedLists
{
    public const string RevisionHeader = "X-Meta-Revision";
    public const int MaxLimit = 10_000;

    /// <summary>Whether the request pages with <c>limit</c>/<c>continue</c>.</summary>
    public static bool Applies(IQueryCollection query) => query.ContainsKey("limit") || query.ContainsKey("continue");

    /// <summary><c>kind</c>, <c>runtime</c> and <c>updatedSince</c> (RFC 3339, or the answers' <c>yyyy-MM-dd HH:mm:ss.fff UTC</c>).</summary>
    public static Outcome<ListFilter> Filter(IQueryCollection query)
    {
        var since = query["updatedSince"].ToString();
        DateTimeOffset? updatedSince = null;
        if (since.Length > 0)
        {
            var wire = since.EndsWith(" UTC", StringComparison.Ordinal) ? since[..^4] + "Z" : since;
            if (!DateTimeOffset.TryParse(wire, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
            {
                return MetaError.InvalidParam("updatedSince must be a time such as 2026-12-03T10:00:00Z or 2026-12-03 10:00:00.000 UTC");
            }

            updatedSince = parsed;
        }

        return new ListFilter(query["kind"], query["runtime"], updatedSince);
    }

    public static async Task<IResult> ListAsync(HttpRequest request, Tenant tenant, FunctionService service, FunctionAnswers answers, CancellationToken cancellationToken)
    {
        var query = request.Query;
        if (!Filter(query).TryGet(out var filter, out var error))
        {
            return WireResults.Error(error);
        }

        var canonical = string.Join('\n', "list", tenant.TenantId, tenant.ProductId, query["name"], query["versionNumber"], query["qualifier"], filter.Kind, filter.Runtime, filter.UpdatedSince?.ToUnixTimeMilliseconds());
        var functions = new FunctionQuery(query["name"], query["versionNumber"], query["qualifier"], Paging.Default);
        return await PageAsync(request, canonical, paging => service.ListAfterAsync(tenant, functions, filter, paging, cancellationToken),
            (page, next) => answers.ListKeyed(page, next, Caller.Masks(request.HttpContext)), cancellationToken);
    }

    public static Task<IResult> ListVersionsAsync(HttpRequest request, Tenant tenant, string name, FunctionService service, FunctionAnswers answers, CancellationToken cancellationToken)
    {
        var canonical = string.Join('\n', "versions", tenant.TenantId, tenant.ProductId, name);
        return PageAsync(request, canonical, paging => service.ListVersionsAfterAsync(tenant, name, paging, cancellationToken),
            (page, next) => answers.VersionsKeyed(page, next, Caller.Masks(request.HttpContext)), cancellationToken);
    }

    private static async Task<IResult> PageAsync(HttpRequest request, string canonical, Func<KeyPaging, Task<Outcome<KeyPage>>> read, Func<KeyPage, string, IResult> answer, CancellationToken cancellationToken)
    {
        var query = request.Query;
        if (query.ContainsKey("pageIndex") || query.ContainsKey("pageSize"))
        {
            return WireResults.Error(MetaError.InvalidParam("page with either pageIndex and pageSize or limit and continue, not both"));
        }

        var limitText = query["limit"].ToString();
        var limit = Paging.Default.PageSize;
        if (limitText.Length > 0 && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            return WireResults.Error(MetaError.InvalidParam($"limit must be an integer from 1 to {MaxLimit}"));
        }

        long? listRevision = null;
        string? after = null;
        var token = query["continue"].ToString();
        if (token.Length > 0)
        {
            if (!ContinueTokens.Decode(token, canonical).TryGet(out var position, out var error))
            {
                return WireResults.Error(error);
            }

            // Too old when a watch from the list's revision could no longer begin: the functions watch does not hold what
            // followed it, and the store has compacted it. A revision the catalog answered while the store moved on
            // elsewhere stays good as long as the watch holds what followed it.
            var hub = request.HttpContext.RequestServices.GetRequiredService<Watch.WatchHubs>().Find(Watch.WatchKind.Functions)!;
            if (!await hub.ResumesAfterAsync(await hub.RingAsync(cancellationToken), position.Revision, cancellationToken))
            {
                return new Gone($"the continue token is too old: its list began at revision {position.Revision}, which the store no longer keeps; list again from the start (without continue)");
            }

            (listRevision, after) = position;
        }

        if (!(await read(new KeyPaging(limit, after))).TryGet(out var page, out var readError))
        {
            return WireResults.Error(readError);
        }

        request.HttpContext.Response.Headers[RevisionHeader] = page.Revision.ToString(CultureInfo.InvariantCulture);
        var next = page.Next is null ? "" : ContinueTokens.Encode(listRevision ?? page.Revision, canonical, page.Next);
        return answer(page, next);
    }

    /// <summary>410 <c>{code:410, message}</c>.</summary>
    private sealed class Gone(string message) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            WireResults.SetCode(httpContext, StatusCodes.Status410Gone);
            return TypedResults.Json(new ErrorBody(StatusCodes.Status410Gone, message), WireJson.Relaxed.ErrorBody, statusCode: StatusCodes.Status410Gone).ExecuteAsync(httpContext);
        }
    }
}