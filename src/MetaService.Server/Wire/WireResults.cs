using System.Text.Json.Serialization.Metadata;

using MetaService.Core;

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
        ErrorKind.UnsupportedMediaType => StatusCodes.Status415UnsupportedMediaType,
        ErrorKind.PreconditionRequired => StatusCodes.Status428PreconditionRequired,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static IResult Error(MetaError error) =>
        new Refusal(error.Code, TypedResults.Json(new ErrorBody(error.Code, error.Message), WireJson.Relaxed.ErrorBody, statusCode: StatusOf(error.Kind)));

    /// <summary>The error code a request was answered with, 0 if none (for the access log and metrics).</summary>
    public static int CodeOf(HttpContext context) => context.Items.TryGetValue(CodeItem, out var code) && code is int value ? value : 0;

    internal static void SetCode(HttpContext context, int code) => context.Items[CodeItem] = code;

    private static readonly object CodeItem = new();

    /// <summary>An error answer that leaves its code on the request for the access log.</summary>
    private sealed class Refusal(int code, IResult body) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            SetCode(httpContext, code);
            return body.ExecuteAsync(httpContext);
        }
    }

    /// <summary>The envelope of a success, or the error body of a refusal.</summary>
    public static IResult From<T, TBody>(Outcome<T> outcome, Func<T, TBody> envelope, JsonTypeInfo<TBody> typeInfo) =>
        outcome.TryGet(out var value, out var error) ? TypedResults.Json(envelope(value), typeInfo) : Error(error);
}