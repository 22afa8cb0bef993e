using System.Globalization;
using System.Text.Json;

using MetaService.Core;
using MetaService.Core.Catalog;
using MetaService.Core.Functions;
using MetaService.Core.Records;
using MetaService.Server.Wire;


namespace MetaService.Server.Functions;

/// <summary>
/// The answers of the read routes, byte for byte what <see cref="WireJson"/> writes for their envelopes. A get answer
/// is rendered once per mod revision and kept in a bounded <see cref="AnswerCache"/>; a list copies each function out
/// of its get answer and streams the list, so its memory does not grow with the page size.
/// </summary>
public sealed class FunctionAnswers : IDisposable
{
    internal const string ContentType = "application/json; charset=utf-8";

    /// <summary>A list's bytes are sent whenever this many are written (the response pipe then holds the writer back
    /// while the client reads slowly).</summary>
    private const int FlushBytes = 32 * 1024;
    internal static readonly byte[] GetPrefix = """{"code":0,"message":"SUCCESS","function":"""u8.ToArray();
    internal static readonly byte[] ResultMember = ""","result":"""u8.ToArray();
    private readonly FunctionService _service;
    private readonly AnswerCache _cache;

    public FunctionAnswers(FunctionService service, Microsoft.Extensions.Options.IOptions<FunctionAnswersOptions> options)
    {
        _service = service;
        _cache = new AnswerCache(options.Value.AnswerCacheBytes);
    }

    /// <summary>E1: <c>{"code":0,"message":"SUCCESS","function":{…}}</c>; with secrets masked for a viewer (<paramref name="masked"/>).</summary>
    public async Task<IResult> OneAsync(FunctionEntry entry, bool masked, CancellationToken cancellationToken)
    {
        try
        {
            return await AnswerAsync(entry, masked, cancellationToken) is { } answer
                ? Editing.TaggedResults.Get(answer.Bytes, answer.RevisionId, ContentType)
                : WireResults.Error(MetaError.FunctionNotFound(entry.Name));
        }
        catch (UnreadableRecordException e)
        {
            _service.Unreadable.Report(e, entry.ModRevision);
            throw;
        }
    }

    /// <summary>E1 of create and publish: the bytes a get of the new version answers.</summary>
    public static IResult Written(FunctionView view) => Editing.TaggedResults.WithETag(TypedResults.Bytes(RenderGet(view), ContentType), view.RevisionId);

    /// <summary>The answer of <see cref="Written"/> as an <c>Idempotency-Key</c> keeps it, with the version's ETag.</summary>
    internal static Idempotency.RenderedAnswer WrittenAnswer(FunctionView view) =>
        new(StatusCodes.Status200OK, ContentType, RenderGet(view), new() { ["ETag"] = $"\"{view.RevisionId}\"" });

    /// <summary>The update answer, <c>{"code":0,"message":"SUCCESS","function":{…},"result":{…}}</c>: the bytes of
    /// <see cref="UpdateEnvelope"/>, with the function rendered once for both members (<see cref="UpdateAnswer"/>).</summary>
    public static IResult Updated(FunctionView view) => new UpdateAnswer(view);

    /// <summary>E2: <c>{"code":0,"message":"","result":{"functions":[…],"total":N}}</c>.</summary>
    public IResult List(FunctionPage page, bool masked) => new StreamedList(this, page.Functions, page.Revision, masked, writer =>
    {
        writer.WriteStartObject();
        writer.WriteNumber("code", 0);
        writer.WriteString("message", "");
        writer.WriteStartObject("result");
    }, writer =>
    {
        writer.WriteNumber("total", page.Total);
        writer.WriteEndObject();
        writer.WriteEndObject();
    });

    /// <summary>E2 of a page in key order: <c>{"code":0,"message":"","result":{"functions":[…],"total":N,"continue":"…","revision":R}}</c>,
    /// <c>total</c> the rows of this page, <c>continue</c> empty on the last page (members the original's clients ignore).</summary>
    public IResult ListKeyed(KeyPage page, string next, bool masked) => new StreamedList(this, page.Functions, page.Revision, masked, writer =>
    {
        writer.WriteStartObject();
        writer.WriteNumber("code", 0);
        writer.WriteString("message", "");
        writer.WriteStartObject("result");
    }, writer =>
    {
        writer.WriteNumber("total", page.Functions?.Count ?? 0);
        writer.WriteString("continue", next);
        writer.WriteNumber("revision", page.Revision);
        writer.WriteEndObject();
        writer.WriteEndObject();
    });

    /// <summary>E3 of a page in key order: <c>{"functions":[…],"pageInfo":{…},"continue":"…","revision":R}</c>.</summary>
    public IResult VersionsKeyed(KeyPage page, string next, bool masked) => new StreamedList(this, page.Functions, page.Revision, masked, writer => writer.WriteStartObject(), writer =>
    {
        writer.WriteStartObject("pageInfo");
        writer.WriteString("pageIndex", "1");
        writer.WriteString("pageSize", (page.Functions?.Count ?? 0).ToString(CultureInfo.InvariantCulture));
        writer.WriteNumber("total", page.Functions?.Count ?? 0);
        writer.WriteEndObject();
        writer.WriteString("continue", next);
        writer.WriteNumber("revision", page.Revision);
        writer.WriteEndObject();
    });

    /// <summary>E3: <c>{"functions":[…],"pageInfo":{"pageIndex":"1","pageSize":"10","total":N}}</c>.</summary>
    public IResult Versions(FunctionPage page, Paging paging, bool masked) => new StreamedList(this, page.Functions, page.Revision, masked, writer => writer.WriteStartObject(), writer =>
    {
        writer.WriteStartObject("pageInfo");
        writer.WriteString("pageIndex", paging.PageIndex.ToString(CultureInfo.InvariantCulture));
        writer.WriteString("pageSize", paging.PageSize.ToString(CultureInfo.InvariantCulture));
        writer.WriteNumber("total", page.Total);
        writer.WriteEndObject();
        writer.WriteEndObject();
    });

    public void Dispose() => _cache.Dispose();

    /// <summary>The get answer of <paramref name="entry"/>: kept, or rendered from its record (and kept when the record
    /// is at the entry's mod revision); null when the version is gone. A masked answer (a viewer's) is rendered each time:
    /// the cache holds each answer once, as the editors see it.</summary>
    private async ValueTask<RenderedGet?> AnswerAsync(FunctionEntry entry, bool masked, CancellationToken cancellationToken)
    {
        if (masked)
        {
            return await _service.ViewAsync(entry, cancellationToken) is { } view ? RenderedGet.Of(Auth.SecretMask.Apply(view.View)) : null;
        }

        if (_cache.Find(entry) is { } kept)
        {
            return kept;
        }

        if (await _service.ViewAsync(entry, cancellationToken) is not { } found)
        {
            return null;
        }

        var answer = RenderedGet.Of(found.View);
        if (found.ModRevision == entry.ModRevision)
        {
            _cache.Keep(entry, answer);
        }

        return answer;
    }

    /// <summary>A get answer's bytes and the revisionId in them (its ETag), so that answering it parses nothing.</summary>
    internal sealed record RenderedGet(byte[] Bytes, string? RevisionId)
    {
        public static RenderedGet Of(FunctionView view) => new(RenderGet(view), view.RevisionId);
    }

    private static byte[] RenderGet(FunctionView view)
    {
        var function = JsonSerializer.SerializeToUtf8Bytes(view, WireJson.Relaxed.FunctionView);
        var answer = new byte[GetPrefix.Length + function.Length + 1];
        GetPrefix.CopyTo(answer, 0);
        function.CopyTo(answer, GetPrefix.Length);
        answer[^1] = (byte)'}';
        return answer;
    }

    /// <summary>
    /// A list answer written straight into the response body (with the revision it was read at, <c>X-Meta-Revision</c>), one function at a time: <paramref name="head"/>, the
    /// <c>functions</c> member (each row's get answer, or null for a page without rows), then <paramref name="tail"/>.
    /// A row deleted since the page was cut is left out, and so is a row whose record cannot be read (reported once
    /// per key): one broken record breaks one function, not the list. Every <see cref="FlushBytes"/> the bytes are
    /// sent, so a request holds at most that much of its answer. A store fault after the first bytes were sent can
    /// only end the response early (the status is already sent).
    /// </summary>
    private sealed class StreamedList(FunctionAnswers answers, IReadOnlyList<FunctionEntry>? rows, long? revision, bool masked, Action<Utf8JsonWriter> head, Action<Utf8JsonWriter> tail) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var cancellationToken = httpContext.RequestAborted;
            httpContext.Response.ContentType = ContentType;
            if (revision is { } read)
            {
                httpContext.Response.Headers[KeyedLists.RevisionHeader] = read.ToString(CultureInfo.InvariantCulture);
            }

            var body = httpContext.Response.BodyWriter;
            await using (var writer = new Utf8JsonWriter(body, new JsonWriterOptions { SkipValidation = true }))
            {
                head(writer);
                if (rows is null)
                {
                    writer.WriteNull("functions");
                }
                else
                {
                    writer.WriteStartArray("functions");
                    // Counted from what the writer has handed to the pipe: over a PipeWriter it hands its bytes on each
                    // time its own buffer fills, so BytesPending alone never reaches the bound.
                    var flushedAt = 0L;
                    foreach (var entry in rows)
                    {
                        if (await RowAsync(entry, cancellationToken) is { Bytes: var answer })
                        {
                            writer.WriteRawValue(answer.AsSpan(GetPrefix.Length, answer.Length - GetPrefix.Length - 1), skipInputValidation: true);
                        }

                        if (writer.BytesCommitted + writer.BytesPending - flushedAt >= FlushBytes)
                        {
                            writer.Flush();
                            flushedAt = writer.BytesCommitted;
                            await body.FlushAsync(cancellationToken);
                        }
                    }

                    writer.WriteEndArray();
                }

                tail(writer);
            }

            await body.FlushAsync(cancellationToken);
        }

        private async ValueTask<RenderedGet?> RowAsync(FunctionEntry entry, CancellationToken cancellationToken)
        {
            try
            {
                return await answers.AnswerAsync(entry, masked, cancellationToken);
            }
            catch (UnreadableRecordException e)
            {
                answers._service.Unreadable.Report(e, entry.ModRevision);
                return null;
            }
        }
    }
}