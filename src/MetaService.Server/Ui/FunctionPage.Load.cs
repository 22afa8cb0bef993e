using MetaService.Core;
using MetaService.Core.Aliases;
using MetaService.Core.Catalog;
using MetaService.Core.Functions;
using MetaService.Core.Records;
using MetaService.Core.ReservedInstances;
using MetaService.Server.Auth;

using Microsoft.AspNetCore.Http.HttpResults;

namespace MetaService.Server.Ui;

/// <summary>A function's page: one version's configuration (the draft unless <c>?version=</c> names another), the
/// function's versions, its aliases and the version's reserved instances. Environment values are masked unless an
/// editor asks to see them (<c>?reveal=environment</c>); a viewer sees them masked whatever it asks, as in the API.</summary>
public sealed partial class FunctionPage
{
    /// <summary>The most versions and aliases the page lists (the rest are a list route away).</summary>
    public const int MaxListed = 100;

    public static async Task<IResult> RenderAsync(HttpContext context, string name, FunctionService service, AliasService aliases, ReservedInstanceService reserved, CancellationToken cancellationToken)
    {
        var frame = ConsolePage.For(context);
        var tenant = frame.User.Tenant;
        var query = context.Request.Query;
        var version = query["version"].ToString();
        var revealed = frame.User.MayEdit && query["reveal"] == "environment";
        if (!(await service.FindAsync(tenant, name, version, null, cancellationToken)).TryGet(out var entry, out var error))
        {
            return Missing(frame, name, error);
        }

        if (await ViewOrNullAsync(service, entry, cancellationToken) is not { } view)
        {
            return Missing(frame, name, MetaError.FunctionNotFound(name));
        }

        var versions = new List<FunctionView>();
        var more = false;
        if ((await service.ListVersionsAfterAsync(tenant, name, new KeyPaging(MaxListed, null), cancellationToken)).TryGet(out var page, out _))
        {
            more = page.Next is not null;
            foreach (var each in page.Functions ?? [])
            {
                if (await ViewOrNullAsync(service, each, cancellationToken) is { } listed)
                {
                    versions.Add(listed);
                }
            }
        }

        var routes = (await aliases.ListAsync(tenant, name, new Paging(1, MaxListed), cancellationToken)).TryGet(out var aliasPage, out _) ? aliasPage.Aliases : [];
        IReadOnlyList<LabelConfigs> labels = [];
        string? reservedNote = null;
        if (view.Kind == FunctionKinds.Faas)
        {
            var read = await reserved.GetAsync(tenant, new ReserveRequest { FuncName = view.Name, Version = view.VersionNumber }, cancellationToken);
            if (!read.TryGet(out var found, out var reserveError))
            {
                reservedNote = reserveError.Message;
            }

            labels = found ?? [];
        }
        else
        {
            reservedNote = "Reserved instances are kept for faas functions only.";
        }

        if (revealed)
        {
            Editing.RevealLog.Revealed(context, view.Name);
        }

        var shown = revealed ? view : SecretMask.Apply(view);
        var details = new FunctionDetails(frame, shown, revealed, versions, more, routes, labels, reservedNote);
        return ConsolePage.Render<FunctionPage>(new() { [nameof(Details)] = details, [nameof(Problem)] = null });
    }

    private static async Task<FunctionView?> ViewOrNullAsync(FunctionService service, FunctionEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            return await service.ViewAsync(entry, cancellationToken) is { } found ? found.View : null;
        }
        catch (UnreadableRecordException e)
        {
            service.Unreadable.Report(e, entry.ModRevision);
            return null;
        }
    }

    private static RazorComponentResult<FunctionPage> Missing(ConsolePage frame, string name, MetaError error) =>
        ConsolePage.Render<FunctionPage>(new() { [nameof(Details)] = null, [nameof(Problem)] = new FunctionProblem(frame, name, error.Message) },
            error.Kind == ErrorKind.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest);
}

/// <summary>What the function page shows; <see cref="View"/> has its secrets masked unless <see cref="Revealed"/>.</summary>
public sealed record FunctionDetails(ConsolePage Frame, FunctionView View, bool Revealed, IReadOnlyList<FunctionView> Versions, bool MoreVersions,
    IReadOnlyList<AliasView> Aliases, IReadOnlyList<LabelConfigs> Reserved, string? ReservedNote)
{
    /// <summary>This page with the environment values shown (or hidden again), for the same version.</summary>
    public string RevealLink(bool reveal)
    {
        var version = FunctionKinds.IsDraftVersion(View.VersionNumber) ? "" : "version=" + Uri.EscapeDataString(View.VersionNumber);
        var query = string.Join('&', new[] { version, reveal ? "reveal=environment" : "" }.Where(p => p.Length > 0));
        return $"{UiRegistration.Root}/functions/{Uri.EscapeDataString(View.Name)}" + (query.Length == 0 ? "" : "?" + query);
    }
}

/// <summary>Why a function page could not be shown (not found, a malformed name).</summary>
public sealed record FunctionProblem(ConsolePage Frame, string Name, string Message);