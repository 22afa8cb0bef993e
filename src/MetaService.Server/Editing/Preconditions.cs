using MetaService.Core;
using MetaService.Core.Functions;

namespace MetaService.Server.Editing;

/// <summary>
/// <c>If-Match</c> on the function writes. On PUT and publish it is the body's <c>revisionId</c> said as a header: the
/// two must agree (400 otherwise), and a header alone gives the body its revisionId, so the check stays the one the
/// store transaction compares (412, 4134). On DELETE and PATCH it is passed to the service, which checks it on the
/// records its transaction compares. With <c>Meta:RequirePreconditions</c>, a DELETE or PATCH without one is a 428.
/// </summary>
public static class Preconditions
{
    public static Outcome<FunctionRequest> Update(HttpRequest request, FunctionRequest body) =>
        Revision(request, body.RevisionId).TryGet(out var revisionId, out var error) ? body with { RevisionId = revisionId } : error;

    public static Outcome<PublishRequest> Publish(HttpRequest request, PublishRequest body) =>
        Revision(request, body.RevisionId).TryGet(out var revisionId, out var error) ? body with { RevisionId = revisionId } : error;

    /// <summary>The revisionIds a DELETE is conditional on (null: none).</summary>
    public static Outcome<IReadOnlyList<string>?> Delete(HttpRequest request, MetaOptions options)
    {
        if (!EntityTags.IfMatch(request).TryGet(out var tags, out var error))
        {
            return error;
        }

        return tags is null && options.RequirePreconditions ? MetaError.PreconditionRequired("DELETE") : new Outcome<IReadOnlyList<string>?>(tags, null);
    }

    /// <summary>The revisionIds a PATCH is conditional on (null: none besides a <c>revisionId</c> in the patch).</summary>
    public static Outcome<IReadOnlyList<string>?> Patch(HttpRequest request, string? patchRevisionId, MetaOptions options)
    {
        if (!EntityTags.IfMatch(request).TryGet(out var tags, out var error))
        {
            return error;
        }

        if (tags is not null && patchRevisionId is not null && !tags.Contains(patchRevisionId))
        {
            return Disagree();
        }

        return tags is null && patchRevisionId is null && options.RequirePreconditions ? MetaError.PreconditionRequired("PATCH") : new Outcome<IReadOnlyList<string>?>(tags, null);
    }

    private static Outcome<string?> Revision(HttpRequest request, string? bodyRevisionId)
    {
        if (!EntityTags.IfMatch(request).TryGet(out var tags, out var error))
        {
            return error;
        }

        if (tags is null)
        {
            return bodyRevisionId;
        }

        if (!string.IsNullOrEmpty(bodyRevisionId))
        {
            return tags.Contains(bodyRevisionId) ? bodyRevisionId : Disagree();
        }

        return tags.Count == 1
            ? tags[0]
            : MetaError.InvalidParam($"If-Match names {tags.Count} ETags: name one, or put the revisionId in the body");
    }

    private static MetaError Disagree() =>
        MetaError.InvalidParam("If-Match and the body's revisionId disagree: send the same revisionId in both, or only one of them");
}