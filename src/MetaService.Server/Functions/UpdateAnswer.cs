using System.Buffers;
using System.Text.Json;

using MetaService.Core.Functions;
using MetaService.Server.Editing;
using MetaService.Server.Wire;

namespace MetaService.Server.Functions;

/// <summary>
/// The answer of an update (and of a patch or restore), <c>{"code":0,"message":"SUCCESS","function":{…},"result":{…}}</c>
/// with its <c>ETag</c>, written straight into the response body: the function is rendered once, into a buffer its thread
/// keeps, and copied from there into the body for both members. Every update answers one, so neither the rendered
/// function nor the whole answer is a new array (7–8 KB per update for a function of 2.4 KB; bench/README.md, session 41).
/// </summary>
internal sealed class UpdateAnswer(FunctionView view) : IResult
{
    /// <summary>A buffer at most this large is kept for the next answer on its thread; a larger one is let go.</summary>
    private const int KeptBytes = 64 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.ContentType = FunctionAnswers.ContentType;
        response.Headers.ETag = EntityTags.Of(view.RevisionId);

        // Rendered and copied with no await in between: the thread's buffer is this answer's until the copy is done.
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        var writer = t_writer ??= new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = WireJson.Relaxed.Options.Encoder, SkipValidation = true });
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        JsonSerializer.Serialize(writer, view, WireJson.Relaxed.FunctionView);
        writer.Flush();
        var function = buffer.WrittenSpan;
        response.ContentLength = FunctionAnswers.GetPrefix.Length + function.Length + FunctionAnswers.ResultMember.Length + function.Length + 1;
        var body = response.BodyWriter;
        body.Write(FunctionAnswers.GetPrefix);
        body.Write(function);
        body.Write(FunctionAnswers.ResultMember);
        body.Write(function);
        body.Write("}"u8);
        if (buffer.Capacity > KeptBytes)
        {
            t_buffer = null;
            t_writer = null;
        }

        return body.FlushAsync(httpContext.RequestAborted).AsTask();
    }
}