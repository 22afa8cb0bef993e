using MetaService.Server.Auth;
using MetaService.Server.Limits;

namespace MetaService.Server.ApiDescription;

/// <summary>
/// The refusals that come before any handler, listed on every route they apply to (unless its <see cref="RouteDoc"/>
/// describes the status itself): the request head's limits, the body's media type and size, the request rate, and,
/// with an auth mode on, the credential.
/// </summary>
internal static class CommonAnswers
{
    // Each answer is made when read, not kept in a static field, so that a mutation test can change its text.
    private static ResponseDoc LineTooLong => FunctionDocs.Error(414, "the request line is longer than Limits:RequestLineBytes", 414,
        "the request line has 9000 bytes; at most 8192 are accepted (Limits:RequestLineBytes): shorten the path and query");

    private static ResponseDoc HeadTooLarge => FunctionDocs.Error(431, "more header lines or bytes than Limits:RequestHeaderCount or Limits:RequestHeadersBytes", 431,
        "the request has 120 header lines; at most 100 are accepted (Limits:RequestHeaderCount)");

    private static ResponseDoc TooLarge => FunctionDocs.Error(413, "the body is larger than Server:MaxRequestBodyBytes", 4104,
        "request body is larger than 1048576 bytes. check input parameters");

    private static ResponseDoc NotJson => FunctionDocs.Error(415, "the body is not application/json", 415,
        "the body must be application/json, not 'text/plain'; send Content-Type: application/json");

    private static ResponseDoc TooMany => FunctionDocs.Error(429, "past Limits:RequestsPerSecond for this caller (with Retry-After)", 429,
        "too many requests from this caller: at most 100 per second; retry after 1 s");

    private static ResponseDoc Unauthenticated => FunctionDocs.Error(401, "with an Auth:Mode other than none: no credential, or one that does not prove who calls (190401)", 190401,
        "a credential is required: Authorization: Bearer <API token>");

    private static ResponseDoc Forbidden => FunctionDocs.Error(403, "with an Auth:Mode other than none: the credential's role or tenant does not allow this (190403)", 190403,
        "role editor is required; this credential has role viewer");

    /// <summary>The answers of <paramref name="doc"/> and the common ones it does not describe itself, by status.</summary>
    public static IReadOnlyList<ResponseDoc> With(RouteDoc doc, string route, Access? access) =>
        [.. doc.Responses.Concat(For(route, doc.RequestType is not null, access).Where(c => doc.Responses.All(r => r.Status != c.Status))).OrderBy(r => r.Status)];

    private static IEnumerable<ResponseDoc> For(string route, bool hasBody, Access? access)
    {
        if (access != Access.Anonymous)
        {
            yield return Unauthenticated;
            yield return Forbidden;
        }

        if (hasBody)
        {
            yield return TooLarge;
            yield return NotJson;
        }

        yield return LineTooLong;
        if (RequestRate.Counted(new PathString(route)))
        {
            yield return TooMany;
        }

        yield return HeadTooLarge;
    }
}