using System.Globalization;
using System.Text.Json;

using MetaService.Core.Functions;
using MetaService.Server.Wire;


namespace MetaService.Server.Functions;

/// <summary>
/// The answers of the read routes, byte for byte what <see cref="WireJson"/> writes for their envelopes. Each
/// entry caches its get answer (rendered once per mod revision); a list copies the function out of it, so
/// neither route serializes a function again.
/// </summary>
public sealed class FunctionAnswers(FunctionService service)
{
    private const string ContentType = "application/json; charset=utf-8";
    private static readonly byte[] GetPrefix = """{"code":0,"message":"SUCCESS","function":"""u8.ToArray();
    private static readonly byte[] ResultMember = ""","result":"""u8.ToArray();
    private static readonly Func<FunctionView, byte[]> Render = RenderGet;

    /// <summary>E1: <c>{"code":0,"message":"SUCCESS","function":{…}}</c>.</summary>
    public async Task<IResult> OneAsync(FunctionEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            return await service.RenderAsync(entry, Render, cancellationToken) is { } answer
                ? TypedResults.Bytes(answer, ContentType)
                : WireResults.Error(MetaError.FunctionNotFound(entry.Name));
        }
        catch (UnreadableRecordException e)
        {
            service.Unreadable.Report(e, entry.ModRevision);
            throw;
        }
    }

    /// <summary>E1 of create and publish: the bytes a get of the new version answers.</summary>
    public static IResult Written(FunctionView view) => TypedResults.Bytes(RenderGet(view), ContentType);

    /// <summary>The update answer, <c>{"code":0,"message":"SUCCESS","function":{…},"result":{…}}</c>: the bytes of
    /// <see cref="UpdateEnvelope"/>, with the function rendered once for both members.</summary>
    public static IResult Updated(FunctionView view)
    {
        var function = JsonSerializer.SerializeToUtf8Bytes(view, WireJson.Relaxed.FunctionView);
        var answer = new byte[GetPrefix.Length + function.Length + ResultMember.Length + function.Length + 1];
        var at = 0;
        foreach (var part in new[] { GetPrefix, function, ResultMember, function })
        {
            part.CopyTo(answer, at);
            at += part.Length;
        }

        answer[^1] = (byte)'}';
        return TypedResults.Bytes(answer, ContentType);
    }

    /// <summary>E2: <c>{"code":0,"message":"","result":{"functions":[…],"total":N}}</c>.</summary>
    public async Task<IResult> ListAsync(FunctionPage page, CancellationToken cancellationToken)
    {
        var functions = await RenderAsync(page, cancellationToken);
        return new StreamedJson(writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("code", 0);
            writer.WriteString("message", "");
            writer.WriteStartObject("result");
            Functions(writer, functions);
            writer.WriteNumber("total", page.Total);
            writer.WriteEndObject();
            writer.WriteEndObject();
        });
    }

    /// <summary>E3: <c>{"functions":[…],"pageInfo":{"pageIndex":"1","pageSize":"10","total":N}}</c>.</summary>
    public async Task<IResult> VersionsAsync(FunctionPage page, Paging paging, CancellationToken cancellationToken)
    {
        var functions = await RenderAsync(page, cancellationToken);
        return new StreamedJson(writer =>
        {
            writer.WriteStartObject();
            Functions(writer, functions);
            writer.WriteStartObject("pageInfo");
            writer.WriteString("pageIndex", paging.PageIndex.ToString(CultureInfo.InvariantCulture));
            writer.WriteString("pageSize", paging.PageSize.ToString(CultureInfo.InvariantCulture));
            writer.WriteNumber("total", page.Total);
            writer.WriteEndObject();
            writer.WriteEndObject();
        });
    }

    private static void Functions(Utf8JsonWriter writer, List<byte[]>? answers)
    {
        if (answers is null)
        {
            writer.WriteNull("functions");
            return;
        }

        writer.WriteStartArray("functions");
        foreach (var answer in answers)
        {
            writer.WriteRawValue(answer.AsSpan(GetPrefix.Length, answer.Length - GetPrefix.Length - 1), skipInputValidation: true);
        }

        writer.WriteEndArray();
    }

    /// <summary>The get answers of a page's rows. A row deleted since the page was cut is left out, and so is a row
    /// whose record cannot be read (reported once per key): one broken record breaks one function, not the list.</summary>
    private async Task<List<byte[]>?> RenderAsync(FunctionPage page, CancellationToken cancellationToken)
    {
        if (page.Functions is null)
        {
            return null;
        }

        var answers = new List<byte[]>(page.Functions.Count);
        foreach (var entry in page.Functions)
        {
            try
            {
                if (await service.RenderAsync(entry, Render, cancellationToken) is { } answer)
                {
                    answers.Add(answer);
                }
            }
            catch (UnreadableRecordException e)
            {
                service.Unreadable.Report(e, entry.ModRevision);
            }
        }

        return answers;
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

    /// <summary>Writes the JSON straight into the response body.</summary>
    private sealed class StreamedJson(Action<Utf8JsonWriter> write) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.ContentType = ContentType;
            var body = httpContext.Response.BodyWriter;
            await using (var writer = new Utf8JsonWriter(body, new JsonWriterOptions { SkipValidation = true }))
            {
                write(writer);
            }

            await body.FlushAsync(httpContext.RequestAborted);
        }
    }
}