using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

using MetaService.Load;

namespace MetaService.Reliability.Tests;

/// <summary>One generated request and the answer a correct server gives it: a refusal (<paramref name="Status"/> 4xx with
/// the error code <paramref name="Code"/>, writing nothing; <see cref="BadRequests.BeforeTheService"/>: refused by the HTTP
/// server itself, with no body), or 200 (accepted; <paramref name="Writes"/> when it commits one transaction).</summary>
public sealed record BadRequest(string Kind, HttpMethod Method, string Path, byte[]? Body, string? ContentType, (string Name, string Value)[] Headers, int Status, int Code, bool Writes);

/// <summary>
/// Makes requests from valid ones, reproducibly from a seed, each with a defect whose answer is known by construction:
/// a body that is not JSON (cut short, a structural character taken out or put in), a member of the wrong JSON type,
/// one broken rule, an oversized body, deep nesting, invalid UTF-8, odd routes, odd headers, a stale revisionId, a body
/// that is not <c>application/json</c>. Headers and spellings of the JSON content type a server must tolerate, and bytes after a whole body (Go's decoder, like the server, reads the first
/// JSON value and leaves the rest), make requests it accepts.
/// </summary>
public sealed class BadRequests(int seed, string existing)
{
    /// <summary>The code of a request the HTTP server refuses before the service sees it: its 400 has no body.</summary>
    public const int BeforeTheService = -1;

    public static readonly string[] Kinds = ["not json", "wrong type", "broken rule", "oversized", "unreadable", "route", "refused header", "tolerated", "stale or missing", "not application/json"];

    private static readonly string[] Strings = ["true", "1", "0.5", "[]", "{}"];
    private static readonly string[] Integers = ["\"300\"", "\"x\"", "true", "0.5", "1e309", "9223372036854775808", "[]", "{}"];
    private static readonly string[] StringMaps = ["\"x\"", "1", "true", "[]", "{\"a\":1}", "{\"a\":{\"b\":[]}}"];
    private static readonly string[] NumberMaps = ["\"x\"", "true", "[]", "{\"a\":\"x\"}", "{\"a\":[]}"];
    private static readonly string[] Lists = ["{}", "\"x\"", "1", "true", "[1,\"a\"]"];
    private static readonly string[] Objects = ["\"x\"", "1", "true", "[]"];

    /// <summary>Each member of the request with values of JSON types it cannot take (<c>null</c> is not one: it means absent).</summary>
    private static readonly (string Member, string[] Wrong)[] Members =
    [
        ("name", Strings), ("runtime", Strings), ("kind", Strings), ("handler", Strings), ("description", Strings), ("revisionId", Strings),
        ("minInstance", Strings), ("maxInstance", Strings), ("concurrentNum", Strings), ("storageType", Strings), ("codePath", Strings),
        ("poolId", Strings), ("cpu", Integers), ("memory", Integers), ("timeout", Integers), ("environment", StringMaps),
        ("extendedHandler", StringMaps), ("extendedTimeout", NumberMaps), ("customResources", NumberMaps),
        ("resourceAffinitySelectors", Lists), ("layers", Lists), ("s3CodePath", Objects), ("device", Objects), ("rootfs", Objects),
    ];

    /// <summary>One rule each breaks, on the sample body (instances 0/10/2): 400 with 4104.</summary>
    private static readonly (string Member, string Json)[] BrokenRules =
    [
        ("cpu", "299"), ("cpu", "16001"), ("memory", "127"), ("memory", "1073741825"), ("runtime", "\"python2.7\""),
        ("name", "\"0@svc@fn/x\""), ("name", "\"函数\""), ("name", "\"\""), ("minInstance", "\"11\""), ("minInstance", "\"-1\""),
        ("minInstance", "\"abc\""), ("maxInstance", "\"1001\""), ("concurrentNum", "\"0\""), ("concurrentNum", "\"1001\""),
        ("handler", $"\"{new string('h', 65)}\""), ("description", $"\"{new string('d', 1025)}\""),
    ];

    /// <summary>Paths and methods no route serves as such, with their answers: no route (404), another method (405), a
    /// name that cannot be one (4104; an update reads its body first), a well-formed name nobody registered (4115).</summary>
    private static readonly (string Method, string Path, int Status, int Code)[] Routes =
    [
        ("GET", "/serverless/v1/functionz", 404, 404), ("POST", "/serverless/v2/functions", 404, 404),
        ("DELETE", "/serverless/v1/functions/a/b/c", 404, 404), ("GET", "/serverless/v1/functions/x/versions/y", 404, 404),
        ("PUT", "/admin", 404, 404), ("PATCH", "/serverless/v1/functions", 405, 405), ("PATCH", "/serverless/v1/functions/fn", 415, 415),
        ("POST", "/serverless/v1/functions/0-svc-fn", 405, 405), ("POST", "/healthz", 405, 405), ("DELETE", "/", 405, 405),
        ("GET", "/serverless/v1/functions/0@@", 400, 4104), ("DELETE", "/serverless/v1/functions/urn:a:b:c:d:e:f:g:h", 400, 4104),
        ("GET", "/serverless/v1/functions/%00", 400, BeforeTheService), ("GET", "/serverless/v1/functions/" + new string('a', 4000), 400, 4104),
        ("GET", "/serverless/v1/functions/a:b:c", 400, 4104), ("PUT", "/serverless/v1/functions/0@@", 400, 130600),
        ("GET", "/serverless/v1/functions/0-rel-none", 404, 4115), ("DELETE", "/serverless/v1/functions/0-rel-none", 404, 4115),
    ];

    private static readonly (string Name, string Value)[] RefusedHeaders =
        [("X-Tenant-Id", "a/b"), ("X-Tenant-Id", new string('t', 129)), ("X-Tenant-Id", "t:1"), ("X-Tenant-Id", "ten ant"), ("X-Tenant-Id", "a@b"), ("X-Product-Id", "p@q")];

    private static readonly (string Name, string Value)[] ToleratedHeaders =
        [("X-Tenant-Id", ""), ("X-Tenant-Id", "rel-t1.x_y"), ("X-Product-Id", "p1"), ("Content-Encoding", "gzip"), ("Expect", "100-continue")];

    private static readonly string?[] ContentTypes = ["application/json", "text/plain", "application/xml", null, "application/json; charset=latin1", "multipart/form-data; boundary=x"];

    private static readonly byte[][] InvalidUtf8 = [[0xC3, 0x28], [0xFF], [0xE2, 0x82], [0xF0, 0x28, 0x8C, 0x28], [0xED, 0xA0, 0x80], [0xC0, 0xAF]];
    private const string Structural = "{}[]:,\"\\";

    private readonly Random _random = new(seed);
    private int _names;

    public BadRequest Next() => _random.Next(9) switch
    {
        0 => NotJson(),
        1 => WrongType(),
        2 => BrokenRule(),
        3 => Oversized(),
        4 => Unreadable(),
        5 => Route(),
        6 => Create(Kinds[6], Body(), 400, 4104, [Pick(RefusedHeaders)]),
        7 => Tolerated(),
        _ => StaleOrMissing(),
    };

    /// <summary>A name nobody has registered: each accepted create makes a new function.</summary>
    private string NewName() => $"0-rel-bad{++_names}";

    private byte[] Body() => Encoding.UTF8.GetBytes(Samples.CreateBody(NewName()));

    private T Pick<T>(T[] values) => values[_random.Next(values.Length)];

    private static BadRequest Create(string kind, byte[] body, int status, int code, (string, string)[]? headers = null) =>
        new(kind, HttpMethod.Post, Api.Functions, body, "application/json", headers ?? [], status, code, Writes: false);

    private BadRequest Update(string kind, byte[] body, int status, int code) =>
        new(kind, HttpMethod.Put, $"{Api.Functions}/{existing}", body, "application/json", [], status, code, Writes: false);

    /// <summary>A create with a header or a spelling of the JSON content type a server must tolerate, or with bytes after its
    /// whole body: accepted. With another content type (or none): 415, whatever the body.</summary>
    private BadRequest Tolerated()
    {
        var body = _random.Next(4) == 0 ? [.. Body(), .. Encoding.UTF8.GetBytes(Pick(["}", ",", " x", "\n{\"name\":1}", "]"]))] : Body();
        var type = Pick(ContentTypes);
        return type is not null && type.StartsWith("application/json", StringComparison.Ordinal)
            ? new BadRequest(Kinds[7], HttpMethod.Post, Api.Functions, body, type, [Pick(ToleratedHeaders)], 200, 0, Writes: true)
            : new BadRequest(Kinds[9], HttpMethod.Post, Api.Functions, body, type, [Pick(ToleratedHeaders)], 415, 415, Writes: false);
    }

    /// <summary>A create or update body whose JSON value is broken: 400 with 130600.</summary>
    private BadRequest NotJson()
    {
        var create = _random.Next(2) == 0;
        var json = Encoding.UTF8.GetBytes(create ? Samples.CreateBody(NewName()) : Samples.UpdateBody("stale", 1));
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var broken = BreakSyntax(json);
            if (!StartsWithJson(broken))
            {
                return create ? Create(Kinds[0], broken, 400, 130600) : Update(Kinds[0], broken, 400, 130600);
            }
        }

        throw new InvalidOperationException("100 changes in a row left the body JSON");
    }

    /// <summary>Cuts the body short, or takes out or puts in a structural character outside its strings.</summary>
    private byte[] BreakSyntax(byte[] json)
    {
        var at = _random.Next(json.Length);
        return _random.Next(3) switch
        {
            0 => json[..at],
            1 => [.. json[..at], .. json[(at + 1)..]],
            _ => [.. json[..at], (byte)Structural[_random.Next(Structural.Length)], .. json[at..]],
        };
    }

    /// <summary>Whether the bytes start with a whole JSON value, which is all a reader of one value (the server, Go's
    /// decoder) reads of them.</summary>
    private static bool StartsWithJson(byte[] bytes)
    {
        try
        {
            var reader = new Utf8JsonReader(bytes);
            return reader.Read() && reader.TrySkip();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>A member of a create or an update given a value of a JSON type it cannot take: 400 with 130600.</summary>
    private BadRequest WrongType()
    {
        var create = _random.Next(2) == 0;
        var body = JsonNode.Parse(create ? Samples.CreateBody(NewName()) : Samples.UpdateBody("stale", 2))!.AsObject();
        var (member, wrong) = Pick(Members);
        body[member] = JsonNode.Parse(Pick(wrong));
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        return create ? Create(Kinds[1], bytes, 400, 130600) : Update(Kinds[1], bytes, 400, 130600);
    }

    private BadRequest BrokenRule()
    {
        var body = JsonNode.Parse(Samples.CreateBody(NewName()))!.AsObject();
        var (member, json) = Pick(BrokenRules);
        body[member] = JsonNode.Parse(json);
        return Create(Kinds[2], Encoding.UTF8.GetBytes(body.ToJsonString()), 400, 4104);
    }

    /// <summary>A description of 300 KB (over its 1,024 characters: 4104) or a body over the 1 MiB limit (413).</summary>
    private BadRequest Oversized()
    {
        var huge = _random.Next(2) == 0;
        var body = Samples.CreateBody(NewName()).Replace("a benchmark function", new string('x', huge ? 1_100_000 : 300_000), StringComparison.Ordinal);
        return Create(Kinds[3], Encoding.UTF8.GetBytes(body), huge ? 413 : 400, 4104);
    }

    /// <summary>Nesting past the reader's depth, or invalid UTF-8 in the name's value: 400 with 130600.</summary>
    private BadRequest Unreadable()
    {
        if (_random.Next(2) == 0)
        {
            return Create(Kinds[4], Encoding.UTF8.GetBytes(new string('[', 5000 + _random.Next(5000)) + new string(']', 100)), 400, 130600);
        }

        var body = Body();
        var at = Array.IndexOf(body, (byte)'-') + 1;
        return Create(Kinds[4], [.. body[..at], .. Pick(InvalidUtf8), .. body[at..]], 400, 130600);
    }

    private BadRequest Route()
    {
        var (method, path, status, code) = Pick(Routes);
        return new BadRequest(Kinds[5], new HttpMethod(method), path, null, null, [], status, code, Writes: false);
    }

    /// <summary>An update or publish of the function with a stale revisionId (412, 4134), or an update of a function that does
    /// not exist (404, 4115).</summary>
    private BadRequest StaleOrMissing() => _random.Next(3) switch
    {
        0 => Update(Kinds[8], Encoding.UTF8.GetBytes(Samples.UpdateBody("stale", 3)), 412, 4134),
        1 => new BadRequest(Kinds[8], HttpMethod.Post, $"{Api.Functions}/{existing}/versions", """{"revisionId":"stale","versionNumber":"v1"}"""u8.ToArray(), "application/json", [], 412, 4134, Writes: false),
        _ => new BadRequest(Kinds[8], HttpMethod.Put, $"{Api.Functions}/{NewName()}", Encoding.UTF8.GetBytes(Samples.UpdateBody("stale", 4)), "application/json", [], 404, 4115, Writes: false),
    };
}