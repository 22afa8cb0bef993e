using MetaService.Core;
using MetaService.Core.Aliases;
using MetaService.Server.Editing;

namespace MetaService.Server.Aliases;

/// <summary><c>If-Match</c> on an alias update: the body's <c>revisionId</c> said as a header, as on the function update.
/// The two must agree; a header alone gives the body its revisionId, which the store transaction then checks (412, 4134).</summary>
internal static class AliasPreconditions
{
    public static Outcome<AliasUpdateRequest> Update(HttpRequest request, AliasUpdateRequest body)
    {
        if (!EntityTags.IfMatch(request).TryGet(out var tags, out var error))
        {
            return error;
        }

        if (tags is null)
        {
            return body;
        }

        if (!string.IsNullOrEmpty(body.RevisionId))
        {
            return tags.Contains(body.RevisionId)
                ? body
                : MetaError.InvalidParam("If-Match and the body's revisionId disagree: send the same revisionId in both, or only one of them");
        }

        return tags.Count == 1
            ? body with { RevisionId = tags[0] }
            : MetaError.InvalidParam($"If-Match names {tags.Count} ETags: name one, or put the revisionId in the body");
    }
}