using System.Globalization;

using MetaService.Core;
using MetaService.Core.Functions;
using MetaService.Core.ReservedInstances;

using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MetaService.Server.Ui.Admin;

/// <summary>
/// A faas function version's reserved instances (<c>/ui/functions/{name}/reserved?version=v1</c>, admins only): its
/// labels per cluster, a form that creates or updates a label's instances in a cluster, and a delete per label. Every
/// change goes through the <see cref="ReservedInstanceService"/> the reserve-instance routes use: its rules decide and
/// their messages are shown, with nothing written.
/// </summary>
public sealed partial class ReservedPage
{
    public static async Task<IResult> RenderAsync(HttpContext context, string name, ReservedInstanceService reserved, FunctionService functions, CancellationToken cancellationToken)
    {
        var frame = ConsolePage.For(context);
        if (!frame.User.MayAdminister)
        {
            return Forbidden(frame, name);
        }

        var notice = context.Request.Query["done"].ToString() switch
        {
            "created" => "Created the reserved instances.",
            "updated" => "Saved the reserved instances.",
            "deleted" => "Deleted the label's reserved instances.",
            _ => null,
        };
        var view = new ReservedView(frame, name, context.Request.Query["version"].ToString()) { Notice = notice };
        return await PageAsync(view, reserved, functions, StatusCodes.Status200OK, cancellationToken);
    }

    public static async Task<IResult> WriteAsync(HttpContext context, string name, ReservedInstanceService reserved, FunctionService functions, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        if (await ConsoleSession.FormAsync(context, antiforgery) is not { } form)
        {
            return ConsoleSession.BadForm();
        }

        var frame = ConsolePage.For(context);
        if (!frame.User.MayAdminister)
        {
            return Forbidden(frame, name);
        }

        var draft = ReserveDraft.From(form);
        var view = new ReservedView(frame, name, form["version"].ToString()) { Draft = draft };
        var update = form["action"] == "update";
        var request = draft.ToRequest(name, view.Version);
        var written = !request.TryGet(out var body, out var error) ? error
            : update ? await reserved.UpdateAsync(frame.User.Tenant, body, cancellationToken)
            : await reserved.CreateAsync(frame.User.Tenant, body, cancellationToken);
        return written.TryGet(out _, out error)
            ? TypedResults.Redirect(ReservedView.Link(name, view.Version, update ? "updated" : "created"))
            : await PageAsync(view with { Problem = error.Message }, reserved, functions, ConsoleProblems.StatusOf(error), cancellationToken);
    }

    public static async Task<IResult> DeleteAsync(HttpContext context, string name, ReservedInstanceService reserved, FunctionService functions, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        if (await ConsoleSession.FormAsync(context, antiforgery) is not { } form)
        {
            return ConsoleSession.BadForm();
        }

        var frame = ConsolePage.For(context);
        if (!frame.User.MayAdminister)
        {
            return Forbidden(frame, name);
        }

        var version = form["version"].ToString();
        var label = form["label"].ToString();
        // An empty label would delete every label of the version: the page always names one.
        Outcome<bool> deleted = label.Length == 0
            ? MetaError.InvalidParam("name the label to delete")
            : await reserved.DeleteAsync(frame.User.Tenant, new ReserveRequest { FuncName = name, Version = version, InstanceLabel = label }, cancellationToken);
        return deleted.TryGet(out _, out var error)
            ? TypedResults.Redirect(ReservedView.Link(name, version, "deleted"))
            : await PageAsync(new ReservedView(frame, name, version) { Problem = error.Message }, reserved, functions, ConsoleProblems.StatusOf(error), cancellationToken);
    }

    private static RazorComponentResult<ReservedPage> Forbidden(ConsolePage frame, string name) =>
        ConsolePage.Render<ReservedPage>(new() { [nameof(Model)] = new ReservedView(frame, name, "") { Forbidden = true, Problem = "Only an admin manages reserved instances here." } },
            StatusCodes.Status403Forbidden);

    /// <summary>The page: the function's versions to pick from (the draft when none is asked for), and
    /// the asked version's labels.</summary>
    private static async Task<RazorComponentResult<ReservedPage>> PageAsync(ReservedView view, ReservedInstanceService reserved, FunctionService functions, int status, CancellationToken cancellationToken)
    {
        var tenant = view.Frame.User.Tenant;
        var versions = new List<string> { FunctionKinds.DraftFaas };
        if ((await functions.ListVersionsAfterAsync(tenant, view.Name, new KeyPaging(FunctionPage.MaxListed, null), cancellationToken)).TryGet(out var page, out var error))
        {
            versions.AddRange((page.Functions ?? []).Where(v => !v.IsDraft).Select(v => v.Version));
        }
        else
        {
            return Render(view with { Problem = view.Problem ?? error.Message }, view.Problem is null ? ConsoleProblems.StatusOf(error) : status);
        }

        var version = view.Version.Length > 0 ? view.Version : FunctionKinds.DraftFaas;
        view = view with { Version = version, Versions = versions };
        var labels = await reserved.GetAsync(tenant, new ReserveRequest { FuncName = view.Name, Version = version }, cancellationToken);
        if (!labels.TryGet(out var found, out error))
        {
            return Render(view with { Problem = view.Problem ?? error.Message }, view.Problem is null ? ConsoleProblems.StatusOf(error) : status);
        }

        return Render(view with { Labels = found }, status);
    }

    private static RazorComponentResult<ReservedPage> Render(ReservedView view, int status) =>
        ConsolePage.Render<ReservedPage>(new() { [nameof(Model)] = view }, status);
}

/// <summary>What the reserved-instances page shows: the version's labels, the versions to pick from, the form's values
/// (as posted when the service refused them), and the service's refusal or a notice.</summary>
public sealed record ReservedView(ConsolePage Frame, string Name, string Version)
{
    public IReadOnlyList<string> Versions { get; init; } = [];

    public IReadOnlyList<LabelConfigs> Labels { get; init; } = [];

    public ReserveDraft Draft { get; init; } = new("", "", "0", "1");

    public bool Forbidden { get; init; }

    public string? Problem { get; init; }

    public string? Notice { get; init; }

    public static string Link(string name, string? version = null, string? done = null)
    {
        var query = string.Join('&', new[] { ("version", version), ("done", done) }.Where(p => !string.IsNullOrEmpty(p.Item2)).Select(p => p.Item1 + "=" + Uri.EscapeDataString(p.Item2!)));
        return $"{UiRegistration.Root}/functions/{Uri.EscapeDataString(name)}/reserved" + (query.Length == 0 ? "" : "?" + query);
    }
}

/// <summary>The form's fields as typed: a label, a cluster (empty: the default one) and the instance counts.</summary>
public sealed record ReserveDraft(string Label, string Cluster, string Min, string Max)
{
    public static ReserveDraft From(IFormCollection form) =>
        new(form["label"].ToString().Trim(), form["cluster"].ToString().Trim(), form["min"].ToString().Trim(), form["max"].ToString().Trim());

    /// <summary>The reserve-instance body the route would be sent; counts that are not whole numbers are refused here,
    /// every other rule is the service's.</summary>
    public Outcome<ReserveRequest> ToRequest(string name, string version)
    {
        if (!long.TryParse(Min, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var min) || !long.TryParse(Max, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var max))
        {
            return MetaError.InvalidParam($"minimum '{Min}' and maximum '{Max}' must be whole numbers");
        }

        return new ReserveRequest
        {
            FuncName = name,
            Version = version,
            InstanceLabel = Label,
            InstanceConfigInfos = [new InstanceConfig { ClusterId = Cluster, MinInstance = min, MaxInstance = max }],
        };
    }
}