using System.Text;

using MetaService.Load;

namespace MetaService.Reliability.Tests;

/// <summary>One generated request that a correct server refuses, or accepts, but never answers with 5xx.</summary>
public sealed record BadRequest(HttpMethod Method, string Path, byte[]? Body, string? ContentType, (string Name, string Value)[] Headers, string Kind);

/// <summary>Makes bad requests from valid ones, reproducibly from a seed: mutated bodies, wrong types, huge
/// strings, deep nesting, invalid UTF-8, unknown routes, odd headers.</summary>
public sealed class BadRequests(int seed, string existing)
{
    private static readonly string[] Fields = ["name", "runtime", "handler", "kind", "cpu", "memory", "timeout", "environment", "minInstance", "maxInstance", "concurrentNum", "storageType", "codePath", "extendedHandler", "extendedTimeout", "customResources", "poolId", "resourceAffinitySelectors", "revisionId", "description", "layers", "s3CodePath", "device", "rootfs"];
    private static readonly string[] WrongValues = ["null", "true", "-1", "1e309", "9223372036854775808", "\"\"", "\"x\"", "[]", "[1,\"a\"]", "{}", "{\"a\":{\"b\":[]}}", "\"\\u0000\"", "0.5", "\"../../etc\""];
    private static readonly string[] OddPaths = ["/serverless/v1/functionz", "/serverless/v2/functions", "/serverless/v1/functions/a/b/c", "/serverless/v1/functions/%00", "/serverless/v1/functions/..%2F..%2Fetc", "/serverless/v1/functions/" + new string('a', 4000), "/", "/admin", "/serverless/v1/functions/0@@", "/serverless/v1/functions/urn:a:b:c:d:e:f:g:h", "/serverless/v1/functions/x/versions/y"];
    private const string Punctuation = "{}[]\",:\\0-e";
    private readonly Random _random = new(seed);

    public BadRequest Next()
    {
        var kind = _random.Next(9);
        return kind switch
        {
            0 => Create(Mutate(Samples.CreateBody(Name())), "mutated create"),
            1 => Update(Mutate(Samples.UpdateBody("stale", 1)), "mutated update"),
            2 => Create(WrongType(Samples.CreateBody(Name())), "wrong type"),
            3 => Create(Encoding.UTF8.GetBytes(Samples.CreateBody(Name()).Replace("a benchmark function", new string('x', _random.Next(2) == 0 ? 300_000 : 1_100_000), StringComparison.Ordinal)), "huge string"),
            4 => Create(Encoding.UTF8.GetBytes(new string('[', 5000 + _random.Next(5000)) + new string(']', 100)), "deep nesting"),
            5 => Create(InvalidUtf8(), "invalid UTF-8"),
            6 => new BadRequest(Method(), OddPaths[_random.Next(OddPaths.Length)], null, null, [], "unknown route"),
            7 => OddHeaders(),
            _ => new BadRequest(HttpMethod.Put, $"{Api.Functions}/{existing}", WrongType(Samples.UpdateBody("stale", 2)), "application/json", [], "update wrong type"),
        };
    }

    private string Name() => $"0-rel-bad{_random.Next(1_000_000)}";

    private static BadRequest Create(byte[] body, string kind) => new(HttpMethod.Post, Api.Functions, body, "application/json", [], kind);

    private BadRequest Update(byte[] body, string kind) => new(HttpMethod.Put, $"{Api.Functions}/{existing}", body, "application/json", [], kind);

    private HttpMethod Method() => _random.Next(5) switch
    {
        0 => HttpMethod.Get,
        1 => HttpMethod.Post,
        2 => HttpMethod.Put,
        3 => HttpMethod.Delete,
        _ => HttpMethod.Patch,
    };

    /// <summary>Deletes, inserts, duplicates or flips bytes, or truncates.</summary>
    private byte[] Mutate(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json).ToList();
        for (var n = 1 + _random.Next(4); n > 0 && bytes.Count > 1; n--)
        {
            var at = _random.Next(bytes.Count);
            switch (_random.Next(5))
            {
                case 0: bytes.RemoveAt(at); break;
                case 1: bytes.Insert(at, (byte)Punctuation[_random.Next(Punctuation.Length)]); break;
                case 2: bytes[at] = (byte)_random.Next(256); break;
                case 3: bytes.RemoveRange(at, bytes.Count - at); break;
                default: bytes.InsertRange(at, bytes.GetRange(at, Math.Min(10, bytes.Count - at))); break;
            }
        }

        return [.. bytes];
    }

    private byte[] WrongType(string json)
    {
        var field = Fields[_random.Next(Fields.Length)];
        var value = WrongValues[_random.Next(WrongValues.Length)];
        var patched = json.TrimEnd().TrimEnd('}') + $",\"{field}\":{value}}}";
        return Encoding.UTF8.GetBytes(patched);
    }

    private byte[] InvalidUtf8()
    {
        var body = Encoding.UTF8.GetBytes(Samples.CreateBody(Name()));
        byte[][] bad = [[0xC3, 0x28], [0xFF], [0xE2, 0x82], [0xF0, 0x28, 0x8C, 0x28], [0xED, 0xA0, 0x80], [0xC0, 0xAF]];
        var at = Array.IndexOf(body, (byte)'a');
        return [.. body[..at], .. bad[_random.Next(bad.Length)], .. body[at..]];
    }

    private BadRequest OddHeaders()
    {
        (string, string)[][] headers =
        [
            [("X-Tenant-Id", "a/b")], [("X-Tenant-Id", new string('t', 300))], [("X-Tenant-Id", "t:1")], [("X-Product-Id", "p@q")],
            [("X-Tenant-Id", "ten ant")], [("Content-Encoding", "gzip")], [("Expect", "100-continue")], [("X-Tenant-Id", "")],
        ];
        string?[] contentTypes = ["text/plain", "application/xml", null, "application/json; charset=latin1", "multipart/form-data; boundary=x"];
        return new BadRequest(HttpMethod.Post, Api.Functions, Encoding.UTF8.GetBytes(Samples.CreateBody(Name())), contentTypes[_random.Next(contentTypes.Length)], headers[_random.Next(headers.Length)], "odd headers");
    }
}