namespace MetaService.Core.Functions;

/// <summary>
/// JSON <c>null</c> inside a request's maps and lists (<c>"hookHandler":{"init":null}</c>, <c>"layers":[null]</c>):
/// the typed reader lets it through where a text or an object belongs, and the rules would then read a value that is
/// not there. Each is refused, named by its path. A <c>null</c> member itself still means "not given".
/// </summary>
internal static class NullMembers
{
    public static void Check(FunctionRequest request, List<string> errors)
    {
        InMap("environment", request.Environment, errors);
        InMap("extendedHandler", request.ExtendedHandler, errors);
        InMap("hookHandler", request.HookHandler, errors);
        InMap("tags", request.Tags, errors);
        InList("resourceAffinitySelectors", request.ResourceAffinitySelectors, errors);
        InList("schedulePolicies", request.SchedulePolicies, errors);
        InList("layers", request.Layers, errors);
    }

    private static void InMap(string member, Dictionary<string, string>? map, List<string> errors)
    {
        foreach (var (key, value) in map ?? [])
        {
            if (value is null)
            {
                errors.Add($"{member}.{key} is null: give a string");
            }
        }
    }

    private static void InList<T>(string member, List<T>? list, List<string> errors)
    {
        var index = list?.IndexOf(default!) ?? -1;
        if (index >= 0)
        {
            errors.Add($"{member}[{index}] is null: remove it or give a value");
        }
    }
}