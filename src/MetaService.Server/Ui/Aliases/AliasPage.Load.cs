using System.Globalization;

using MetaService.Core;
using MetaService.Core.Aliases;
using MetaService.Core.Functions;

using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MetaService.Server.Ui.Aliases;

/// <summary>
/// The alias weights editor (<c>/ui/functions/{name}/aliases/{alias}</c>, editors and admins): the function's versions
/// with the alias's weights as number inputs and bars. Saving posts the weights with the revisionId the page was read at
/// to <see cref="AliasService.UpdateAsync"/>, the path of <c>PUT …/aliases/{alias}</c> with <c>If-Match</c>: the
/// alias's rules decide (the shares must sum to 100; a revisionId that moved on is refused) and the page shows the
/// server's message, with nothing written. Rollback is <see cref="AliasService.RollbackAsync"/> with the same revisionId,
/// the path of <c>POST …/aliases/{alias}/rollback</c>.
/// </summary>
public sealed partial class AliasPage
{
    /// <summary>The form field of a version's weight: this prefix and the version.</summary>
    public const string WeightField = "weight.";

    public static async Task<IResult> RenderAsync(HttpContext context, string name, string alias, AliasService aliases, FunctionService functions, CancellationToken cancellationToken)
    {
        var frame = ConsolePage.For(context);
        if (!frame.User.MayEdit)
        {
            return Forbidden(frame, name, alias);
        }

        var notice = context.Request.Query["done"].ToString() switch
        {
            "saved" => "Saved: the alias routes by the weights below.",
            "rolledback" => "Rolled back: the alias routes as it did before its last change.",
            _ => null,
        };
        return await PageAsync(frame, name, alias, aliases, functions, null, null, notice, StatusCodes.Status200OK, cancellationToken);
    }

    public static async Task<IResult> SaveAsync(HttpContext context, string name, string alias, AliasService aliases, FunctionService functions, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        if (await ConsoleSession.FormAsync(context, antiforgery) is not { } form)
        {
            return ConsoleSession.BadForm();
        }

        var frame = ConsolePage.For(context);
        if (!frame.User.MayEdit)
        {
            return Forbidden(frame, name, alias);
        }

        var posted = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in form.Where(f => f.Key.StartsWith(WeightField, StringComparison.Ordinal)).Take(AliasRules.MaxRoutingEntries * 8))
        {
            posted[key[WeightField.Length..]] = value.ToString().Trim();
        }

        if (!Weights(posted).TryGet(out var weights, out var error))
        {
            return await PageAsync(frame, name, alias, aliases, functions, posted, error.Message, null, StatusCodes.Status400BadRequest, cancellationToken);
        }

        var request = new AliasUpdateRequest { RevisionId = form["revisionId"].ToString(), RoutingConfig = weights, RoutingType = AliasRules.WeightType };
        var saved = await aliases.UpdateAsync(frame.User.Tenant, name, alias, request, null, cancellationToken);
        return saved.TryGet(out _, out error)
            ? Done(name, alias, "saved")
            : await PageAsync(frame, name, alias, aliases, functions, posted, error.Message, null, ConsoleProblems.StatusOf(error), cancellationToken);
    }

    public static async Task<IResult> RollbackAsync(HttpContext context, string name, string alias, AliasService aliases, FunctionService functions, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        if (await ConsoleSession.FormAsync(context, antiforgery) is not { } form)
        {
            return ConsoleSession.BadForm();
        }

        var frame = ConsolePage.For(context);
        if (!frame.User.MayEdit)
        {
            return Forbidden(frame, name, alias);
        }

        var rolled = await aliases.RollbackAsync(frame.User.Tenant, name, alias, [form["revisionId"].ToString()], null, cancellationToken);
        return rolled.TryGet(out _, out var error)
            ? Done(name, alias, "rolledback")
            : await PageAsync(frame, name, alias, aliases, functions, null, error.Message, null, ConsoleProblems.StatusOf(error), cancellationToken);
    }

    /// <summary>The posted weights as the update route's <c>routingConfig</c>: blank is 0, and versions at 0 are left
    /// out (unless every one is 0, so that the alias's rule says why that is refused). Whether they sum to 100 is the
    /// alias rules' to say.</summary>
    private static Outcome<Dictionary<string, double>> Weights(Dictionary<string, string> posted)
    {
        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (version, text) in posted)
        {
            if (text.Length == 0)
            {
                weights[version] = 0;
            }
            else if (double.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var weight))
            {
                weights[version] = weight;
            }
            else
            {
                return MetaError.InvalidParam($"the weight of version [{version}] is '{text}': give a whole number from 0 to 100");
            }
        }

        var used = weights.Where(w => w.Value != 0).ToDictionary(StringComparer.Ordinal);
        return used.Count > 0 ? used : weights;
    }

    private static RedirectHttpResult Done(string name, string alias, string what) => TypedResults.Redirect(AliasLinks.Editor(name, alias) + "?done=" + what);

    private static RazorComponentResult<AliasPage> Forbidden(ConsolePage frame, string name, string alias) =>
        ConsolePage.Render<AliasPage>(new() { [nameof(Model)] = new AliasEditor(frame, name, alias, null, []) { Problem = "Only an editor or an admin changes an alias's weights." } },
            StatusCodes.Status403Forbidden);

    private static async Task<RazorComponentResult<AliasPage>> PageAsync(ConsolePage frame, string name, string alias, AliasService aliases, FunctionService functions,
        Dictionary<string, string>? posted, string? refusal, string? notice, int status, CancellationToken cancellationToken)
    {
        var tenant = frame.User.Tenant;
        if (!(await aliases.GetAsync(tenant, name, alias, cancellationToken)).TryGet(out var found, out var error))
        {
            var missing = new AliasEditor(frame, name, alias, null, []) { Problem = refusal ?? error.Message };
            return ConsolePage.Render<AliasPage>(new() { [nameof(Model)] = missing }, refusal is null ? ConsoleProblems.StatusOf(error) : status);
        }

        var versions = new List<string>();
        if ((await functions.ListVersionsAfterAsync(tenant, name, new KeyPaging(FunctionPage.MaxListed, null), cancellationToken)).TryGet(out var page, out _))
        {
            versions.AddRange((page.Functions ?? []).Where(v => !v.IsDraft).Select(v => v.Version));
        }

        var current = found.RoutingConfig.Count > 0 ? found.RoutingConfig : new Dictionary<string, int> { [found.FunctionVersion] = 100 };
        versions.AddRange(current.Keys.Concat(posted?.Keys ?? Enumerable.Empty<string>()).Where(v => !versions.Contains(v)));
        var rows = versions.Select(v => new WeightRow(v, posted is not null
            ? posted.GetValueOrDefault(v, "0")
            : current.TryGetValue(v, out var weight) ? weight.ToString(CultureInfo.InvariantCulture) : "0")).ToList();
        var editor = new AliasEditor(frame, name, alias, found, rows) { Refusal = refusal, Notice = notice };
        return ConsolePage.Render<AliasPage>(new() { [nameof(Model)] = editor }, status);
    }
}

/// <summary>What the editor shows: the alias as stored (null when it cannot be shown), one row per version with the
/// weight in its input (as stored, or as posted when the server refused it), the server's refusal or a notice.</summary>
public sealed record AliasEditor(ConsolePage Frame, string Name, string AliasName, AliasView? Alias, IReadOnlyList<WeightRow> Rows)
{
    public string? Problem { get; init; }

    public string? Refusal { get; init; }

    public string? Notice { get; init; }

    /// <summary>The sum of the weights shown (those that are numbers).</summary>
    public int Sum => Rows.Sum(r => r.Percent);
}

/// <summary>A version and its weight as the input holds it.</summary>
public sealed record WeightRow(string Version, string Text)
{
    /// <summary>The weight drawn by the bar: the input's whole number, 0 to 100 (0 when it is not one).</summary>
    public int Percent => int.TryParse(Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? Math.Clamp(value, 0, 100) : 0;
}

public static class AliasLinks
{
    public static string Editor(string name, string alias) =>
        $"{UiRegistration.Root}/functions/{Uri.EscapeDataString(name)}/aliases/{Uri.EscapeDataString(alias)}";
}