using MetaService.Core.Functions;
using MetaService.Core.History;
using MetaService.Core.Records;
using MetaService.Core.Storage;

namespace MetaService.Core.Aliases;

/// <summary>
/// Aliases of a function: create, read, list, update, roll back, delete. Every write reads the function's aliases and
/// versions from the store, checks the request against them, and commits one <see cref="AliasWrite"/> guarded by what it
/// read; a write that loses to another reads again and decides again (a create then finds the name taken, an update a
/// new revisionId). Reads come from the store too: aliases are few per function and nothing caches them.
/// </summary>
public sealed partial class AliasService(IMetaStore store, MetaOptions options, TimeProvider clock, bool dryRun = false, HistoryLog? history = null)
{
    private const int MaxAttempts = 32;
    private readonly IMetaStore _store = dryRun ? new DryRunStore(store) : store;

    public bool IsDryRun => dryRun;

    /// <summary>The same service on a <see cref="DryRunStore"/>: every check runs, nothing is written.</summary>
    public AliasService AsDryRun() => dryRun ? this : new(store, options, clock, dryRun: true, history);

    public async Task<Outcome<AliasView>> CreateAsync(Tenant tenant, string pathName, AliasRequest request, TxnRider<AliasView>? rider, CancellationToken cancellationToken)
    {
        if (AliasRules.CheckName(request.Name) is { } nameError)
        {
            return nameError;
        }

        if (Basics(request.FunctionVersion, request.Description) is { } basicError)
        {
            return basicError;
        }

        if (!AliasRules.Routing(request.RoutingConfig, request.RoutingType, request.RoutingRules).TryGet(out var routing, out var routingError))
        {
            return routingError;
        }

        var alias = request.Name!;
        return Written(await WriteAsync(tenant, pathName, alias, HistoryOperations.AliasCreate, rider, (name, state) =>
        {
            if (state.Find(alias) is not null)
            {
                return AliasErrors.Exists(alias);
            }

            if (state.Versions.ContainsKey(alias))
            {
                return AliasErrors.NameIsVersion(alias);
            }

            if (state.Aliases.Count >= options.AliasMax)
            {
                return AliasErrors.Limit(options.AliasMax);
            }

            var now = AliasRecord.Time(clock.GetUtcNow());
            var record = new AliasRecord
            {
                Name = alias,
                FunctionName = name,
                FunctionVersion = request.FunctionVersion!,
                RevisionId = Timestamps.NextRevisionId(clock.GetUtcNow(), null),
                Description = request.Description ?? "",
                RoutingConfig = routing.Weights,
                RoutingType = routing.Type,
                RoutingRules = routing.Rules,
                CreateTime = now,
                UpdateTime = now,
            };
            return new AliasChange(record, null);
        }, cancellationToken));
    }

    public async Task<Outcome<AliasView>> UpdateAsync(Tenant tenant, string pathName, string alias, AliasUpdateRequest request, TxnRider<AliasView>? rider, CancellationToken cancellationToken)
    {
        if (Basics(request.FunctionVersion ?? "-", request.Description) is { } basicError)
        {
            return basicError;
        }

        var routes = request.RoutingType is not null || request.RoutingConfig is { Count: > 0 } || request.RoutingRules is not null;
        if (!AliasRules.Routing(request.RoutingConfig, request.RoutingType, request.RoutingRules).TryGet(out var routing, out var routingError))
        {
            return routingError;
        }

        return Written(await WriteAsync(tenant, pathName, alias, HistoryOperations.AliasUpdate, rider, (name, state) =>
        {
            if (!Current(state, name, alias).TryGet(out var current, out var error))
            {
                return error;
            }

            if (request.RevisionId != current.RevisionId)
            {
                return AliasErrors.RevisionMismatch();
            }

            var changed = current with
            {
                FunctionVersion = string.IsNullOrEmpty(request.FunctionVersion) ? current.FunctionVersion : request.FunctionVersion,
                Description = string.IsNullOrEmpty(request.Description) ? current.Description : request.Description,
                RoutingConfig = routes ? routing.Weights : current.RoutingConfig,
                RoutingType = routes ? routing.Type : current.RoutingType,
                RoutingRules = routes ? routing.Rules : current.RoutingRules,
            };
            return Next(current, changed, SameRouting(current, changed) ? AliasWrite.KeepPrevious : Previous(current));
        }, cancellationToken));
    }

    /// <summary>Puts the alias back to the routing it had before its last routing change, as a new revision; the routing
    /// it leaves becomes the one a second rollback restores.</summary>
    public async Task<Outcome<AliasView>> RollbackAsync(Tenant tenant, string pathName, string alias, IReadOnlyCollection<string>? ifMatch, TxnRider<AliasView>? rider, CancellationToken cancellationToken) =>
        Written(await WriteAsync(tenant, pathName, alias, HistoryOperations.AliasRollback, rider, (name, state) =>
        {
            if (!Current(state, name, alias).TryGet(out var current, out var error))
            {
                return error;
            }

            if (ifMatch is not null && !ifMatch.Contains(current.RevisionId))
            {
                return MetaError.IfMatchFailed();
            }

            if (state.Find(alias)?.Previous is not { } previous)
            {
                return AliasErrors.NothingToRollBack(alias);
            }

            var restored = current with
            {
                FunctionVersion = previous.FunctionVersion,
                RoutingConfig = previous.RoutingConfig,
                RoutingType = previous.RoutingType,
                RoutingRules = previous.RoutingRules,
            };
            return Next(current, restored, Previous(current));
        }, cancellationToken));

    public async Task<Outcome<bool>> DeleteAsync(Tenant tenant, string pathName, string alias, IReadOnlyCollection<string>? ifMatch, CancellationToken cancellationToken)
    {
        var deleted = await WriteAsync(tenant, pathName, alias, HistoryOperations.AliasDelete, null, (name, state) =>
        {
            if (!Current(state, name, alias).TryGet(out var current, out var error))
            {
                return error;
            }

            return ifMatch is not null && !ifMatch.Contains(current.RevisionId) ? MetaError.IfMatchFailed() : new AliasChange(null, null);
        }, cancellationToken);
        return deleted.TryGet(out _, out var refusal) ? true : refusal;
    }

    private static Outcome<AliasView> Written(Outcome<AliasView?> written) =>
        written.TryGet(out var view, out var error) ? view! : error;

    private static MetaError? Basics(string? functionVersion, string? description)
    {
        if (string.IsNullOrEmpty(functionVersion))
        {
            return MetaError.InvalidParam("functionVersion is required: the version the alias names (and routes to when it has no routingConfig)");
        }

        if (functionVersion != "-" && !FunctionNames.IsValidVersionNumber(functionVersion) && !FunctionKinds.IsDraftVersion(functionVersion))
        {
            return MetaError.InvalidParam($"functionVersion [{functionVersion}] is not a version number");
        }

        return description?.Length > AliasRules.DescriptionMaxLength
            ? MetaError.InvalidParam($"description has {description.Length} characters, more than {AliasRules.DescriptionMaxLength}")
            : null;
    }

    private static Outcome<AliasRecord> Current(FunctionAliases state, string name, string alias) =>
        state.Find(alias)?.Record is { } record ? record : AliasErrors.NotFound(name, alias);

    private AliasChange Next(AliasRecord current, AliasRecord changed, PreviousRouting previous) =>
        new(changed with { RevisionId = Timestamps.NextRevisionId(clock.GetUtcNow(), current.RevisionId), UpdateTime = AliasRecord.Time(clock.GetUtcNow()) }, previous);

    private static PreviousRouting Previous(AliasRecord record) =>
        new(record.FunctionVersion, record.RoutingConfig, record.RoutingType, record.RoutingRules, record.RevisionId);

    private static bool SameRouting(AliasRecord a, AliasRecord b) =>
        a.FunctionVersion == b.FunctionVersion && a.RoutingType == b.RoutingType && Equals(a.RoutingRules?.RuleLogic, b.RoutingRules?.RuleLogic)
        && a.RoutingRules?.GrayVersion == b.RoutingRules?.GrayVersion
        && (a.RoutingRules?.Rules ?? []).SequenceEqual(b.RoutingRules?.Rules ?? [])
        && a.RoutingConfig.Count == b.RoutingConfig.Count && a.RoutingConfig.All(w => b.RoutingConfig.TryGetValue(w.Key, out var v) && v == w.Value);
}