using System.Globalization;
using System.Text.Json;

using MetaService.Core;
using MetaService.Core.Functions;
using MetaService.Server.Wire;

using Microsoft.Extensions.Options;

namespace MetaService.Server.Functions;

/// <summary>
/// The answers of the read routes, byte for byte what <see cref="WireJson"/> writes for their envelopes. Each
/// entry caches its get answer (rendered once per mod revision); a list copies the function out of it, so
/// neither route serializes a function again.
/// </summary>
public sealed class FunctionAnswers(IOptions<MetaOptions> options)
{
    private const string ContentType = "application/json; charset=utf-8";
    private static readonly byte[] GetPrefix = """{"code":0,"message":"SUCCESS","function":"""u8.ToArray();
    private static readonly Func<FunctionView, byte[]> Render = RenderGet;
    private readonly MetaOptions _options = options.Value;

    /// <summary>E1: <c>{"code":0,"message":"SUCCESS","function":{…}}</c>.</summary>
    public IResult One(FunctionEntry entry) => TypedResults.Bytes(entry.Rendered(_options, Render), ContentType);

    /// <summary>E2: <c>{"code":0,"message":"","result":{"functions":[…],"total":N}}</c>.</summary>
    public IResult List(FunctionPage page) => Json(writer =>
    {
        writer.WriteStartObject();
        writer.WriteNumber("code", 0);
        writer.WriteString("message", "");
        writer.WriteStartObject("result");
        Functions(writer, page);
        writer.WriteNumber("total", page.Total);
        writer.WriteEndObject();
        writer.WriteEndObject();
    });

    /// <summary>E3: <c>{"functions":[…],"pageInfo":{"pageIndex":"1","pageSize":"10","total":N}}</c>.</summary>
    public IResult Versions(FunctionPage page, Paging paging) => Json(writer =>
    {
        writer.WriteStartObject();
        Functions(writer, page);
        writer.WriteStartObject("pageInfo");
        writer.WriteString("pageIndex", paging.PageIndex.ToString(CultureInfo.InvariantCulture));
        writer.WriteString("pageSize", paging.PageSize.ToString(CultureInfo.InvariantCulture));
        writer.WriteNumber("total", page.Total);
        writer.WriteEndObject();
        writer.WriteEndObject();
    });

    private void Functions(Utf8JsonWriter writer, FunctionPage page)
    {
        if (page.Functions is null)
        {
            writer.WriteNull("functions");
            return;
        }

        writer.WriteStartArray("functions");
        foreach (var entry in page.Functions)
        {
            var answer = entry.Rendered(_options, Render);
            writer.WriteRawValue(answer.AsSpan(GetPrefix.Length, answer.Length - GetPrefix.Length - 1), skipInputValidation: true);
        }

        writer.WriteEndArray();
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

    private static StreamedJson Json(Action<Utf8JsonWriter> write) => new(write);

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