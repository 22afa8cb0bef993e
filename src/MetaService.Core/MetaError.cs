using System.Diagnostics.CodeAnalysis;

namespace MetaService.Core;

/// <summary>What kind of refusal an error is; the server maps it to the HTTP status.</summary>
public enum ErrorKind
{
    /// <summary>The request is malformed or breaks a rule: 400.</summary>
    Invalid,

    /// <summary>The function or version does not exist: 404.</summary>
    NotFound,

    /// <summary>The name or version exists already, or a limit is reached: 409.</summary>
    Conflict,

    /// <summary>The request's revisionId is not the current one: 412.</summary>
    RevisionMismatch,

    /// <summary>The request is larger than allowed: 413.</summary>
    TooLarge,

    /// <summary>The body is not of a type the route reads: 415.</summary>
    UnsupportedMediaType,

    /// <summary>The server requires a precondition (If-Match) the request does not carry: 428.</summary>
    PreconditionRequired,
}

/// <summary>An expected refusal, with openYuanrong's numeric code and message text.</summary>
public sealed record MetaError(int Code, string Message, ErrorKind Kind)
{
    public const string CheckInput = ". check input parameters";

    /// <summary>4104: a rule is broken; the message names it.</summary>
    public static MetaError InvalidParam(string detail) => new(4104, detail + CheckInput, ErrorKind.Invalid);

    /// <summary>130600: the body is not the JSON the route takes.</summary>
    public static MetaError InvalidBody(string detail) => new(130600, detail, ErrorKind.Invalid);

    public static MetaError InvalidQueryUrn(string detail) => new(121046, detail, ErrorKind.Invalid);

    public static MetaError InvalidQualifier(string detail) => new(121047, detail, ErrorKind.Invalid);

    public static MetaError NameExists() => new(4101, "the function name already exists. rename your function", ErrorKind.Conflict);

    public static MetaError FunctionNotFound(string name) => new(4115, $"function [{BareName(name)}] is not found" + CheckInput, ErrorKind.NotFound);

    /// <summary>A <c>0-&lt;service&gt;-&lt;name&gt;</c> function is named without its <c>0-&lt;service&gt;-</c>, as the original names it.</summary>
    private static string BareName(string name) =>
        name.StartsWith("0-", StringComparison.Ordinal) ? string.Join('-', name.Split('-').Skip(2)) : name;

    public static MetaError VersionNotFound(string name, string version) =>
        new(4116, $"function [{name}] version [{version}] is not found" + CheckInput, ErrorKind.NotFound);

    public static MetaError VersionLimit(int count) =>
        new(4110, $"the number of existing function versions is greater than the set value: {count}", ErrorKind.Conflict);

    public static MetaError DuplicateVersion() => new(4114, "duplicate version number", ErrorKind.Conflict);

    public static MetaError RevisionMismatchOnUpdate() => new(4134, "revisionID is not the same", ErrorKind.RevisionMismatch);

    public static MetaError RevisionMismatchOnPublish() => new(4134, "revisionId is non latest version", ErrorKind.RevisionMismatch);

    /// <summary>4134 (412): the draft's (or version's) revisionId is none of those <c>If-Match</c> names.</summary>
    public static MetaError IfMatchFailed() =>
        new(4134, "revisionId is not the one If-Match names: read the function again (its ETag is the current revisionId) and retry", ErrorKind.RevisionMismatch);

    /// <summary>428 (the status as the code): <c>Meta:RequirePreconditions</c> is on and the request has no If-Match.</summary>
    public static MetaError PreconditionRequired(string method) =>
        new(428, $"{method} needs a precondition here: send If-Match with the function's ETag (its revisionId)", ErrorKind.PreconditionRequired);

    /// <summary>415 of PATCH, which reads only JSON Merge Patch.</summary>
    public static MetaError NotMergePatch(string contentType) =>
        new(415, $"the body must be application/merge-patch+json, not '{contentType}'; send Content-Type: application/merge-patch+json", ErrorKind.UnsupportedMediaType);

    public static MetaError PageSizeZero() => new(4123, "page size cannot be 0", ErrorKind.Invalid);

    /// <summary>4104 as the original words it, but a conflict: the version has as many labels as allowed.</summary>
    public static MetaError LabelLimit(int max) => new(4104, $"label count reached max({max})" + CheckInput, ErrorKind.Conflict);

    /// <summary>4104 as the original words it, but a missing thing: update names a (cluster, label) that has no configuration.</summary>
    public static MetaError ReserveConfigNotFound() =>
        new(4104, "failed to find reserve instance config for update" + CheckInput, ErrorKind.NotFound);

    public static MetaError PoolNotFound() => new(4120, "pool does not exist or has been deleted" + CheckInput, ErrorKind.NotFound);

    /// <summary>4104 with every failure of a pool create joined by ';' (the original's separator): 400 when a
    /// pool broke a rule, 409 when the only failures are ids that exist.</summary>
    public static MetaError PoolsNotCreated(IEnumerable<string> failures, bool invalid) =>
        new(4104, string.Join(";", failures) + CheckInput, invalid ? ErrorKind.Invalid : ErrorKind.Conflict);

    /// <summary>A pool whose status is New or Update pending waits for the platform: it cannot change now.</summary>
    public static MetaError PoolBusy(int status) => new(4104, $"pool status is {status} , not allowed to update" + CheckInput, ErrorKind.Conflict);

    public static MetaError BodyTooLarge(long limit) =>
        new(4104, $"request body is larger than {limit} bytes" + CheckInput, ErrorKind.TooLarge);

    /// <summary>415 (the status as the code, as for the server's other answers outside openYuanrong's codes).</summary>
    public static MetaError NotJson(string contentType) =>
        new(415, $"the body must be application/json, not '{contentType}'; send Content-Type: application/json", ErrorKind.UnsupportedMediaType);

    /// <summary>The stored record (or a value the write puts beside it) is over the configured size.</summary>
    public static MetaError RecordTooLarge(long size, long limit) =>
        new(4104, $"the function's stored record would be {size} bytes, more than the {limit} allowed; make environment, description or other members smaller" + CheckInput, ErrorKind.TooLarge);

    /// <summary>The tenant has as many functions as allowed.</summary>
    public static MetaError FunctionLimit(int max) =>
        new(4104, $"the tenant has {max} functions, the most allowed; delete one first" + CheckInput, ErrorKind.Conflict);
}

/// <summary>Either a value or an expected refusal.</summary>
public readonly record struct Outcome<T>(T? Value, MetaError? Error)
{
    public bool IsSuccess => Error is null;

    /// <summary>The value when there is one (true), else the refusal (false), so that neither needs a <c>!</c>.</summary>
    public bool TryGet([MaybeNullWhen(false)] out T value, [NotNullWhen(false)] out MetaError? error)
    {
        value = Value;
        error = Error;
        return Error is null;
    }

    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(MetaError error) => new(default, error);
}