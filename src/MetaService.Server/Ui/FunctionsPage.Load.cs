using MetaService.Core;
using MetaService.Core.Functions;
using MetaService.Core.Records;

using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace MetaService.Server.Ui;

/// <summary>The functions page (where <c>/ui</c> opens): one page of the tenant's function versions in key order, read
/// as the list route reads them (<see cref="FunctionService.ListAfterAsync"/>: the catalog's name index, at most one pass
/// of entries held), so a page costs the same at 100 functions as at 100,000.</summary>
public sealed partial class FunctionsPage
{
    public static async Task<IResult> RenderAsync(HttpContext context, FunctionService service, IOptions<MetaOptions> options, CancellationToken cancellationToken)
    {
        var frame = ConsolePage.For(context);
        var runtimes = options.Value.Runtimes;
        if (!FunctionListQuery.From(context.Request.Query).TryGet(out var query, out var error))
        {
            var empty = new FunctionListQuery("", "", "", null, FunctionListQuery.DefaultSize);
            return Page(new FunctionListPage(frame, empty, [], null, 0, runtimes, error.Message), StatusCodes.Status400BadRequest);
        }

        var functions = new FunctionQuery(query.Search.Length == 0 ? null : query.Search, null, null, Paging.Default);
        var filter = new ListFilter(query.Kind.Length == 0 ? null : query.Kind, query.Runtime.Length == 0 ? null : query.Runtime, null);
        var listed = await service.ListAfterAsync(frame.User.Tenant, functions, filter, new KeyPaging(query.Size, query.After), cancellationToken);
        if (!listed.TryGet(out var page, out error))
        {
            return Page(new FunctionListPage(frame, query, [], null, 0, runtimes, error.Message), StatusCodes.Status400BadRequest);
        }

        var rows = new List<FunctionRow>(page.Functions?.Count ?? 0);
        foreach (var entry in page.Functions ?? [])
        {
            // A version deleted since the page was cut is left out, as the list route leaves it out, and so is one whose
            // record cannot be read (reported, as the list route reports it).
            try
            {
                if (await service.ViewAsync(entry, cancellationToken) is { } found)
                {
                    rows.Add(FunctionRow.From(found.View));
                }
            }
            catch (UnreadableRecordException e)
            {
                service.Unreadable.Report(e, entry.ModRevision);
            }
        }

        return Page(new FunctionListPage(frame, query, rows, page.Next, page.Revision, runtimes, null));
    }

    private static RazorComponentResult<FunctionsPage> Page(FunctionListPage model, int status = StatusCodes.Status200OK) =>
        ConsolePage.Render<FunctionsPage>(new() { [nameof(Model)] = model }, status);
}