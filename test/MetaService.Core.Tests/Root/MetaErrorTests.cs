using Xunit;

namespace MetaService.Core.Tests.Root;

/// <summary>The refusals callers read: each with openYuanrong's code, its message and the kind the server maps to a
/// status; and an outcome that is either a value or a refusal.</summary>
public sealed class MetaErrorTests
{
    public static TheoryData<string, int, string, ErrorKind> Errors => new()
    {
        { nameof(MetaError.InvalidParam), 4104, "bad. check input parameters", ErrorKind.Invalid },
        { nameof(MetaError.InvalidBody), 130600, "bad", ErrorKind.Invalid },
        { nameof(MetaError.InvalidQueryUrn), 121046, "bad", ErrorKind.Invalid },
        { nameof(MetaError.InvalidQualifier), 121047, "bad", ErrorKind.Invalid },
        { nameof(MetaError.NameExists), 4101, "the function name already exists. rename your function", ErrorKind.Conflict },
        { nameof(MetaError.VersionNotFound), 4116, "function [0-svc-fn] version [v1] is not found. check input parameters", ErrorKind.NotFound },
        { nameof(MetaError.VersionLimit), 4110, "the number of existing function versions is greater than the set value: 9", ErrorKind.Conflict },
        { nameof(MetaError.DuplicateVersion), 4114, "duplicate version number", ErrorKind.Conflict },
        { nameof(MetaError.RevisionMismatchOnUpdate), 4134, "revisionID is not the same", ErrorKind.RevisionMismatch },
        { nameof(MetaError.RevisionMismatchOnPublish), 4134, "revisionId is non latest version", ErrorKind.RevisionMismatch },
        { nameof(MetaError.IfMatchFailed), 4134, "revisionId is not the one If-Match names: read the function again (its ETag is the current revisionId) and retry", ErrorKind.RevisionMismatch },
        { nameof(MetaError.PreconditionRequired), 428, "DELETE needs a precondition here: send If-Match with the function's ETag (its revisionId)", ErrorKind.PreconditionRequired },
        { nameof(MetaError.NotMergePatch), 415, "the body must be application/merge-patch+json, not 'text/plain'; send Content-Type: application/merge-patch+json", ErrorKind.UnsupportedMediaType },
        { nameof(MetaError.PageSizeZero), 4123, "page size cannot be 0", ErrorKind.Invalid },
        { nameof(MetaError.LabelLimit), 4104, "label count reached max(9). check input parameters", ErrorKind.Conflict },
        { nameof(MetaError.ReserveConfigNotFound), 4104, "failed to find reserve instance config for update. check input parameters", ErrorKind.NotFound },
        { nameof(MetaError.PoolNotFound), 4120, "pool does not exist or has been deleted. check input parameters", ErrorKind.NotFound },
        { nameof(MetaError.PoolBusy), 4104, "pool status is 9 , not allowed to update. check input parameters", ErrorKind.Conflict },
        { nameof(MetaError.BodyTooLarge), 4104, "request body is larger than 9 bytes. check input parameters", ErrorKind.TooLarge },
        { nameof(MetaError.NotJson), 415, "the body must be application/json, not 'text/plain'; send Content-Type: application/json", ErrorKind.UnsupportedMediaType },
        { nameof(MetaError.RecordTooLarge), 4104, "the function's stored record would be 10 bytes, more than the 9 allowed; make environment, description or other members smaller. check input parameters", ErrorKind.TooLarge },
        { nameof(MetaError.FunctionLimit), 4104, "the tenant has 9 functions, the most allowed; delete one first. check input parameters", ErrorKind.Conflict },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void EachRefusal_HasItsCodeMessageAndKind(string name, int code, string message, ErrorKind kind)
    {
        var error = name switch
        {
            nameof(MetaError.InvalidParam) => MetaError.InvalidParam("bad"),
            nameof(MetaError.InvalidBody) => MetaError.InvalidBody("bad"),
            nameof(MetaError.InvalidQueryUrn) => MetaError.InvalidQueryUrn("bad"),
            nameof(MetaError.InvalidQualifier) => MetaError.InvalidQualifier("bad"),
            nameof(MetaError.NameExists) => MetaError.NameExists(),
            nameof(MetaError.VersionNotFound) => MetaError.VersionNotFound("0-svc-fn", "v1"),
            nameof(MetaError.VersionLimit) => MetaError.VersionLimit(9),
            nameof(MetaError.DuplicateVersion) => MetaError.DuplicateVersion(),
            nameof(MetaError.RevisionMismatchOnUpdate) => MetaError.RevisionMismatchOnUpdate(),
            nameof(MetaError.RevisionMismatchOnPublish) => MetaError.RevisionMismatchOnPublish(),
            nameof(MetaError.IfMatchFailed) => MetaError.IfMatchFailed(),
            nameof(MetaError.PreconditionRequired) => MetaError.PreconditionRequired("DELETE"),
            nameof(MetaError.NotMergePatch) => MetaError.NotMergePatch("text/plain"),
            nameof(MetaError.PageSizeZero) => MetaError.PageSizeZero(),
            nameof(MetaError.LabelLimit) => MetaError.LabelLimit(9),
            nameof(MetaError.ReserveConfigNotFound) => MetaError.ReserveConfigNotFound(),
            nameof(MetaError.PoolNotFound) => MetaError.PoolNotFound(),
            nameof(MetaError.PoolBusy) => MetaError.PoolBusy(9),
            nameof(MetaError.BodyTooLarge) => MetaError.BodyTooLarge(9),
            nameof(MetaError.NotJson) => MetaError.NotJson("text/plain"),
            nameof(MetaError.RecordTooLarge) => MetaError.RecordTooLarge(10, 9),
            nameof(MetaError.FunctionLimit) => MetaError.FunctionLimit(9),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };

        Assert.Equal(new MetaError(code, message, kind), error);
    }

    [Theory]
    [InlineData("0-svc-fn", "function [fn] is not found. check input parameters")]
    [InlineData("0-svc-my-fn", "function [my-fn] is not found. check input parameters")]
    [InlineData("0@svc@fn", "function [0@svc@fn] is not found. check input parameters")]
    [InlineData("plain", "function [plain] is not found. check input parameters")]
    [InlineData("x0-svc-fn", "function [x0-svc-fn] is not found. check input parameters")]
    public void AFunctionNotFound_NamesItWithoutItsServicePrefix(string name, string message)
    {
        Assert.Equal(new MetaError(4115, message, ErrorKind.NotFound), MetaError.FunctionNotFound(name));
    }

    [Fact]
    public void AnOutcome_IsEitherAValueOrARefusal()
    {
        Outcome<int> value = 5;
        Outcome<int> refused = MetaError.NameExists();

        Assert.True(value.IsSuccess);
        Assert.True(value.TryGet(out var got, out var none));
        Assert.Equal((5, null), (got, none));
        Assert.False(refused.IsSuccess);
        Assert.False(refused.TryGet(out var zero, out var error));
        Assert.Equal((0, MetaError.NameExists()), (zero, error));
        Assert.Equal(". check input parameters", MetaError.CheckInput);
    }
}