using System.Globalization;

using MetaService.Core;
using MetaService.Core.Pools;

using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MetaService.Server.Ui.Admin;

/// <summary>
/// Pod pools (<c>/ui/podpools</c>, admins only, as the pool routes): a page of the pools, a form that creates one, and
/// per pool a form that changes its size and one that deletes it. Every change goes through the
/// <see cref="PoolService"/> the pool routes use, so its own rules decide and their messages are shown, with nothing
/// written.
/// </summary>
public sealed partial class PoolsPage
{
    public const int PageSize = 50;

    public static async Task<IResult> RenderAsync(HttpContext context, PoolService pools, CancellationToken cancellationToken)
    {
        var frame = ConsolePage.For(context);
        if (!frame.User.MayAdminister)
        {
            return Forbidden(frame);
        }

        var notice = context.Request.Query["done"].ToString() switch
        {
            "created" => "Created the pod pool.",
            "updated" => "Saved the pool's size.",
            "deleted" => "Deleted the pod pool (the platform removes its pods).",
            _ => null,
        };
        var offset = int.TryParse(context.Request.Query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index >= 1 ? index : 1;
        return await PageAsync(new PoolsView(frame) { PageIndex = offset, Notice = notice }, pools, StatusCodes.Status200OK, cancellationToken);
    }

    public static async Task<IResult> CreateAsync(HttpContext context, PoolService pools, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        if (await ConsoleSession.FormAsync(context, antiforgery) is not { } form)
        {
            return ConsoleSession.BadForm();
        }

        var frame = ConsolePage.For(context);
        if (!frame.User.MayAdminister)
        {
            return Forbidden(frame);
        }

        var draft = PoolDraft.From(form);
        var created = draft.ToPool().TryGet(out var pool, out var error) ? await pools.CreateAsync([pool], cancellationToken) : error;
        return created.TryGet(out _, out error)
            ? TypedResults.Redirect(PoolsView.Root + "?done=created")
            : await PageAsync(new PoolsView(frame) { Draft = draft, Problem = error.Message }, pools, ConsoleProblems.StatusOf(error), cancellationToken);
    }

    public static async Task<IResult> UpdateAsync(HttpContext context, string id, PoolService pools, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        if (await ConsoleSession.FormAsync(context, antiforgery) is not { } form)
        {
            return ConsoleSession.BadForm();
        }

        var frame = ConsolePage.For(context);
        if (!frame.User.MayAdminister)
        {
            return Forbidden(frame);
        }

        Outcome<bool> updated = PoolDraft.Number(form["size"], "size").TryGet(out var size, out var error) && PoolDraft.Number(form["maxSize"], "max_size").TryGet(out var maxSize, out error)
            ? await pools.UpdateAsync(id, new PoolUpdateRequest { Size = size, MaxSize = maxSize }, cancellationToken)
            : error;
        return updated.TryGet(out _, out error)
            ? TypedResults.Redirect(PoolsView.Root + "?done=updated")
            : await PageAsync(new PoolsView(frame) { Problem = $"Pool {id} not saved: {error.Message}" }, pools, ConsoleProblems.StatusOf(error), cancellationToken);
    }

    public static async Task<IResult> DeleteAsync(HttpContext context, string id, PoolService pools, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        if (await ConsoleSession.FormAsync(context, antiforgery) is null)
        {
            return ConsoleSession.BadForm();
        }

        var frame = ConsolePage.For(context);
        if (!frame.User.MayAdminister)
        {
            return Forbidden(frame);
        }

        var deleted = await pools.DeleteAsync(id, null, cancellationToken);
        return deleted.TryGet(out _, out var error)
            ? TypedResults.Redirect(PoolsView.Root + "?done=deleted")
            : await PageAsync(new PoolsView(frame) { Problem = $"Pool {id} not deleted: {error.Message}" }, pools, ConsoleProblems.StatusOf(error), cancellationToken);
    }

    private static RazorComponentResult<PoolsPage> Forbidden(ConsolePage frame) =>
        ConsolePage.Render<PoolsPage>(new() { [nameof(Model)] = new PoolsView(frame) { Forbidden = true, Problem = "Only an admin manages pod pools." } }, StatusCodes.Status403Forbidden);

    private static async Task<RazorComponentResult<PoolsPage>> PageAsync(PoolsView view, PoolService pools, int status, CancellationToken cancellationToken)
    {
        var page = await pools.ListAsync(new PoolQuery(null, null, view.PageIndex, PageSize), cancellationToken);
        return ConsolePage.Render<PoolsPage>(new() { [nameof(Model)] = view with { Pools = page.Pools ?? [], Count = page.Count } }, status);
    }
}

/// <summary>What the pools page shows: one page of pools, how many there are, the create form's values (as posted when
/// the service refused them), and the service's refusal or a notice.</summary>
public sealed record PoolsView(ConsolePage Frame)
{
    public const string Root = UiRegistration.Root + "/podpools";

    public IReadOnlyList<Pool> Pools { get; init; } = [];

    public int Count { get; init; }

    public int PageIndex { get; init; } = 1;

    public PoolDraft Draft { get; init; } = new("", "", "1", "", "", "", false);

    public bool Forbidden { get; init; }

    public string? Problem { get; init; }

    public string? Notice { get; init; }

    public bool HasNext => (long)PageIndex * PoolsPage.PageSize < Count;

    public static string PageLink(int index) => Root + (index <= 1 ? "" : "?page=" + index.ToString(CultureInfo.InvariantCulture));

    public static string Status(int status) => status switch
    {
        PoolStatus.New => "new",
        PoolStatus.Creating => "creating",
        PoolStatus.UpdatePending => "update pending",
        PoolStatus.Updating => "updating",
        PoolStatus.Running => "running",
        PoolStatus.Failed => "failed",
        PoolStatus.Deleted => "deleted",
        _ => status.ToString(CultureInfo.InvariantCulture),
    };
}

/// <summary>The create form's fields as typed: a new pool's id, group, sizes, images and reuse.</summary>
public sealed record PoolDraft(string Id, string Group, string Size, string MaxSize, string Image, string InitImage, bool Reuse)
{
    public static PoolDraft From(IFormCollection form) => new(form["id"].ToString().Trim(), form["group"].ToString().Trim(), form["size"].ToString().Trim(),
        form["maxSize"].ToString().Trim(), form["image"].ToString().Trim(), form["initImage"].ToString().Trim(), form["reuse"] == "on");

    /// <summary>The pool the create route would be sent; a size that is not a whole number is refused here, every other
    /// rule is the service's.</summary>
    public Outcome<Pool> ToPool()
    {
        if (!Number(Size, "size").TryGet(out var size, out var error) || !Number(MaxSize, "max_size").TryGet(out var maxSize, out error))
        {
            return error;
        }

        return new Pool { Id = Id, Group = Group, Size = size, MaxSize = maxSize, Image = Image, InitImage = InitImage, Reuse = Reuse };
    }

    /// <summary>A whole number as typed (blank: 0).</summary>
    public static Outcome<int> Number(string? text, string field) =>
        string.IsNullOrWhiteSpace(text) ? 0
        : int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value
        : MetaError.InvalidParam($"{field} '{text}' is not a whole number");
}