using System.Globalization;

using MetaService.Core;
using MetaService.Core.Functions;

namespace MetaService.Server.Ui;

/// <summary>What the functions page asks for: a name search (the list route's <c>name</c>: names containing it), a
/// kind, a runtime, where the page starts (the key the previous one ended at) and its size.</summary>
public sealed record FunctionListQuery(string Search, string Kind, string Runtime, string? After, int Size)
{
    public const int DefaultSize = 50;
    public const int MaxSize = 200;
    public const int MaxSearch = 128;

    public static Outcome<FunctionListQuery> From(IQueryCollection query)
    {
        var search = query["q"].ToString().Trim();
        var kind = query["kind"].ToString();
        var runtime = query["runtime"].ToString();
        var after = query["after"].ToString();
        var sizeText = query["size"].ToString();
        var size = DefaultSize;
        if (sizeText.Length > 0 && (!int.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > MaxSize))
        {
            return MetaError.InvalidParam($"size must be a whole number from 1 to {MaxSize}");
        }

        if (search.Length > MaxSearch || kind.Length > 64 || runtime.Length > 64 || after.Length > 1024)
        {
            return MetaError.InvalidParam($"the search is at most {MaxSearch} characters, kind and runtime at most 64");
        }

        return new FunctionListQuery(search, kind, runtime, after.Length == 0 ? null : after, size);
    }

    /// <summary>This query's page that starts after <paramref name="after"/> (null: the first), as a link.</summary>
    public string Link(string? after)
    {
        var parts = new List<string>();
        foreach (var (name, value) in new[] { ("q", Search), ("kind", Kind), ("runtime", Runtime), ("after", after ?? ""), ("size", Size == DefaultSize ? "" : Size.ToString(CultureInfo.InvariantCulture)) })
        {
            if (value.Length > 0)
            {
                parts.Add(name + "=" + Uri.EscapeDataString(value));
            }
        }

        return UiRegistration.Root + (parts.Count == 0 ? "" : "?" + string.Join('&', parts));
    }
}

/// <summary>One row of the functions page: a version of a function, with what a person scans for.</summary>
public sealed record FunctionRow(string Product, string Name, string Version, string Kind, string Runtime, long Cpu, long Memory, string Status, string Updated)
{
    public static FunctionRow From(FunctionView view) => new(view.ProductId, view.Name, view.VersionNumber, view.Kind ?? "", view.Runtime, view.Cpu, view.Memory, view.Status,
        view.UpdateTime.Length > 0 ? view.UpdateTime : view.CreateTime);

    /// <summary>What identifies the row to the page's script: the name and version, as the live events carry them.</summary>
    public string Key => Name + "/" + Version;

    /// <summary>Where the row sorts: its key after the tenant's prefix (<c>{product}/{name}/{version}/</c>), the form of a
    /// page's bounds (<see cref="FunctionListQuery.After"/>, the next page's start), so the script places a new row.</summary>
    public string Order => $"{Product}/{Name}/{Version}/";

    public string Link => FunctionLinks.Page(Name, Version);
}

/// <summary>A page of the list: its rows in key order, where the next page starts (null: none), the revision it was
/// read at (live rows follow from there), or the problem with the query.</summary>
public sealed record FunctionListPage(ConsolePage Frame, FunctionListQuery Query, IReadOnlyList<FunctionRow> Rows, string? Next, long Revision, IReadOnlyList<string> Runtimes, string? Problem);

public static class FunctionLinks
{
    public static string Page(string name, string? version = null) =>
        $"{UiRegistration.Root}/functions/{Uri.EscapeDataString(name)}" + (string.IsNullOrEmpty(version) || FunctionKinds.IsDraftVersion(version) ? "" : "?version=" + Uri.EscapeDataString(version));
}