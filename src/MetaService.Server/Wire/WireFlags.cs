using MetaService.Core;

namespace MetaService.Server.Wire;

/// <summary>Boolean query parameters (<c>?ifChanged=true</c>).</summary>
public static class WireFlags
{
    /// <summary>Absent or empty: false; <c>true</c> or <c>false</c> (any case); anything else is refused (4104).</summary>
    public static Outcome<bool> Flag(IQueryCollection query, string name)
    {
        var text = query[name].ToString();
        return text.Length == 0 ? false
            : bool.TryParse(text, out var value) ? value
            : MetaError.InvalidParam($"{name} must be true or false");
    }
}