namespace MetaService.Core.Aliases;

/// <summary>The alias refusals, with the original's codes; the messages say what to do.</summary>
public static class AliasErrors
{
    public static MetaError Exists(string alias) =>
        new(4102, $"alias [{alias}] already exists for this function: choose another name, or update that alias", ErrorKind.Conflict);

    public static MetaError NotFound(string name, string alias) =>
        new(4117, $"functionName [{BareName(name)}] and aliasName [{alias}] do not exist" + MetaError.CheckInput, ErrorKind.NotFound);

    public static MetaError Limit(int max) =>
        new(4111, $"the number of existing function alias is greater than the set value [{max}]. delete or resize the limit", ErrorKind.Conflict);

    public static MetaError RevisionMismatch() => MetaError.RevisionMismatchOnUpdate();

    public static MetaError VersionRouted(string version, string alias) =>
        new(4105, $"this version is occupied by an alias. remove the mapping first: alias [{alias}] routes to version [{version}]", ErrorKind.Conflict);

    public static MetaError NameIsVersion(string alias) =>
        MetaError.InvalidParam($"alias name [{alias}] is a version number of this function: choose a name no version has");

    public static MetaError NothingToRollBack(string alias) =>
        new(4104, $"alias [{alias}] has no earlier routing to roll back to (its routing has not changed since it was created)", ErrorKind.Conflict);

    public static MetaError AllVersionsRouted(int max) =>
        new(4110, $"the number of existing function versions is greater than the set value: {max}; every older version is routed by an alias, so none could be pruned: move an alias off one first", ErrorKind.Conflict);

    private static string BareName(string name) =>
        name.StartsWith("0-", StringComparison.Ordinal) ? string.Join('-', name.Split('-').Skip(2)) : name;
}