using MetaService.Core;

namespace MetaService.Server.Ui;

/// <summary>The status a page answers with when the Core refused what it asked: 404 for something that is not there, 409
/// for a conflict, 412 for a revision that moved on, 400 for the rest, as the API maps the same errors.</summary>
public static class ConsoleProblems
{
    public static int StatusOf(MetaError error) => error.Kind switch
    {
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.RevisionMismatch => StatusCodes.Status412PreconditionFailed,
        _ => StatusCodes.Status400BadRequest,
    };
}