using System.Text.Json.Serialization.Metadata;

using MetaService.Core.Functions;

namespace MetaService.Server.Wire;

/// <summary>The one place where outcomes become HTTP: statuses for errors, envelopes for successes.</summary>
public static class WireResults
{
    public static int StatusOf(ErrorKind kind) => kind switch
    {
        ErrorKind.Invalid => StatusCodes.Status400BadRequest,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.RevisionMismatch => StatusCodes.Status412PreconditionFailed,
        ErrorKind.TooLarge => StatusCodes.Status413PayloadTooLarge,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static IResult Error(MetaError error) =>
        TypedResults.Json(new ErrorBody(error.Code, error.Message), WireJson.Relaxed.ErrorBody, statusCode: StatusOf(error.Kind));

    /// <summary>The envelope of a success, or the error body of a refusal.</summary>
    public static IResult From<T, TBody>(Outcome<T> outcome, Func<T, TBody> envelope, JsonTypeInfo<TBody> typeInfo) =>
        outcome.Error is { } error ? Error(error) : TypedResults.Json(envelope(outcome.Value!), typeInfo);
}