namespace MetaService.Core;

/// <summary>The kinds of function and what each kind's draft version is called.</summary>
public static class FunctionKinds
{
    public const string Faas = "faas";
    public const string Yrlib = "yrlib";
    public const string Agent = "agent";

    /// <summary>The draft of a faas function.</summary>
    public const string DraftFaas = "latest";

    /// <summary>The draft of every other kind.</summary>
    public const string DraftOther = "$latest";

    /// <summary>The draft's version name for a kind: <c>latest</c> for faas, <c>$latest</c> for everything else.</summary>
    public static string DraftVersion(string? kind) => kind == Faas ? DraftFaas : DraftOther;

    public static bool IsDraftVersion(string? version) => version is DraftFaas or DraftOther;
}