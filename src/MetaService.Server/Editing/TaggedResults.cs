namespace MetaService.Server.Editing;

/// <summary>Answers that carry one function version, with its <c>ETag</c>; a get also answers <c>If-None-Match</c>.</summary>
public static class TaggedResults
{
    /// <summary><paramref name="answer"/> with <c>ETag: "<paramref name="revisionId"/>"</c>.</summary>
    public static IResult WithETag(IResult answer, string revisionId) => new Tagged(answer, revisionId);

    /// <summary>A get answer (its bytes): with the ETag of its <paramref name="revisionId"/> (none when it has none), or
    /// 304 without a body when <c>If-None-Match</c> names that revisionId (the handler has refused a malformed one already).</summary>
    public static IResult Get(byte[] answer, string? revisionId, string contentType) => new ConditionalGet(answer, revisionId, contentType);

    private sealed class Tagged(IResult answer, string revisionId) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.ETag = EntityTags.Of(revisionId);
            return answer.ExecuteAsync(httpContext);
        }
    }

    private sealed class ConditionalGet(byte[] answer, string? revisionId, string contentType) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            if (revisionId is null)
            {
                return TypedResults.Bytes(answer, contentType).ExecuteAsync(httpContext);
            }

            httpContext.Response.Headers.ETag = EntityTags.Of(revisionId);
            if (EntityTags.IfNoneMatch(httpContext.Request).TryGet(out var tags, out _) && tags is not null && tags.Contains(revisionId))
            {
                httpContext.Response.StatusCode = StatusCodes.Status304NotModified;
                return Task.CompletedTask;
            }

            return TypedResults.Bytes(answer, contentType).ExecuteAsync(httpContext);
        }
    }
}