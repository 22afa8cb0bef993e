using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;

using MetaService.Core;

using Microsoft.Extensions.Options;

namespace MetaService.Server.Wire;

/// <summary>Reads what a request carries: tenant headers, a JSON body within the size limit, paging.</summary>
public static partial class WireRequests
{
    /// <summary>The tenant of <c>X-Tenant-Id</c> (default <c>default</c>) and <c>X-Product-Id</c>. They become
    /// parts of keys and URNs, so '/', ':', '@', blanks and control characters are refused.</summary>
    public static Outcome<Tenant> Tenant(HttpRequest request)
    {
        var tenant = request.Headers["X-Tenant-Id"].ToString();
        var product = request.Headers["X-Product-Id"].ToString();
        if (tenant.Length == 0)
        {
            if (product.Length == 0)
            {
                return Core.Tenant.Default;
            }

            tenant = Core.Tenant.Default.TenantId;
        }

        if (!TenantPart().IsMatch(tenant))
        {
            return MetaError.InvalidParam("X-Tenant-Id must be 1 to 128 characters without '/', ':', '@', blanks or control characters");
        }

        if (product.Length > 0 && !TenantPart().IsMatch(product))
        {
            return MetaError.InvalidParam("X-Product-Id must be 1 to 128 characters without '/', ':', '@', blanks or control characters");
        }

        return new Tenant(tenant, product);
    }

    /// <summary>The body as <typeparamref name="T"/>: 415 unless it is <c>application/json</c>, 413 past the size limit,
    /// 130600 when it is not that JSON.</summary>
    public static async Task<Outcome<T>> BodyAsync<T>(HttpRequest request, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        where T : class
    {
        // A web page may POST text/plain, a form or an untyped blob to any origin without a preflight; only JSON,
        // which needs one, is read. A request without a body is let through, to be refused for that.
        if (!IsJson(request.ContentType) && (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0 || request.ContentType is not null))
        {
            return MetaError.NotJson(request.ContentType ?? "");
        }

        var limit = request.HttpContext.RequestServices.GetRequiredService<IOptions<WireOptions>>().Value.MaxRequestBodyBytes;
        if (request.ContentLength > limit)
        {
            return MetaError.BodyTooLarge(limit);
        }

        var reader = request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken);
            if (read.Buffer.Length > limit)
            {
                reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
                return MetaError.BodyTooLarge(limit);
            }

            if (read.IsCompleted)
            {
                var outcome = Parse(read.Buffer, typeInfo);
                reader.AdvanceTo(read.Buffer.End);
                return outcome;
            }

            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    /// <summary>Paging from the query: absent means the defaults; index 0 means the first page; negative or
    /// non-numeric values are refused (4104), a size of 0 too (4123).</summary>
    public static Outcome<Paging> Paging(IQueryCollection query, string indexName = "pageIndex", string sizeName = "pageSize")
    {
        var index = ParsePagingValue(query[indexName].ToString(), Core.Paging.Default.PageIndex);
        var size = ParsePagingValue(query[sizeName].ToString(), Core.Paging.Default.PageSize);
        if (index is null || size is null)
        {
            return MetaError.InvalidParam($"{indexName} and {sizeName} must be non-negative integers");
        }

        if (size == 0)
        {
            return MetaError.PageSizeZero();
        }

        return new Paging(Math.Max(index.Value, 1), size.Value);
    }

    private static bool IsJson(string? contentType) =>
        contentType is not null
        && Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var type)
        && type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);

    private static int? ParsePagingValue(string text, int fallback) =>
        text.Length == 0 ? fallback
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value
        : null;

    private static Outcome<T> Parse<T>(ReadOnlySequence<byte> body, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        if (body.IsEmpty)
        {
            return MetaError.InvalidBody("EOF");
        }

        try
        {
            var reader = new Utf8JsonReader(body);
            return JsonSerializer.Deserialize(ref reader, typeInfo) is { } value
                ? value
                : MetaError.InvalidBody("request body is not a valid JSON object");
        }
        catch (JsonException e) when (e.Path is not null && e.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
        {
            return MetaError.InvalidBody($"json: the value at {e.Path} has the wrong type (line {e.LineNumber}, byte {e.BytePositionInLine})");
        }
        catch (JsonException e)
        {
            return MetaError.InvalidBody(e.Message);
        }
        catch (InvalidOperationException e)
        {
            return MetaError.InvalidBody(e.Message);
        }
    }

    /// <summary>Whether <paramref name="text"/> may be a tenant or product id (see <see cref="Tenant"/>).</summary>
    public static bool IsTenantPart(string text) => TenantPart().IsMatch(text);

    [GeneratedRegex(@"^[^/:@\s\p{C}]{1,128}\z", RegexOptions.CultureInvariant)]
    private static partial Regex TenantPart();
}