using System.Text.Json;

using MetaService.Core.Functions;
using MetaService.Core.Storage;

namespace MetaService.Core.Aliases;

/// <summary>A function's version retention (kept at <see cref="AliasKeys.Retention"/>, MetaService's own key).</summary>
public sealed partial class AliasService
{
    public async Task<Outcome<VersionRetention>> GetRetentionAsync(Tenant tenant, string pathName, CancellationToken cancellationToken)
    {
        if (!FunctionNames.TryParsePathName(pathName, tenant, out var reference, out var error))
        {
            return error;
        }

        if (!await FunctionExistsAsync(tenant, reference.Name, cancellationToken))
        {
            return MetaError.FunctionNotFound(reference.Name);
        }

        var kv = await _store.GetAsync(AliasKeys.Retention(tenant, reference.Name), cancellationToken);
        return kv is not null && AliasRecord.DecodeRetention(kv.Value) is { } retention ? retention : new VersionRetention();
    }

    /// <summary>Sets how many published versions a publish keeps (1 to <c>Meta:VersionMax</c>); 0 removes the setting, and
    /// publish then refuses at the limit as the original does (4110).</summary>
    public async Task<Outcome<VersionRetention>> SetRetentionAsync(Tenant tenant, string pathName, VersionRetention request, CancellationToken cancellationToken)
    {
        if (!FunctionNames.TryParsePathName(pathName, tenant, out var reference, out var error))
        {
            return error;
        }

        if (request.KeepVersions < 0 || request.KeepVersions > options.VersionMax)
        {
            return MetaError.InvalidParam($"keepVersions is {request.KeepVersions}: give 1 to {options.VersionMax} (Meta:VersionMax), or 0 to remove the retention");
        }

        var key = AliasKeys.Retention(tenant, reference.Name);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var versions = await _store.RangeKeysAsync(PlatformKeys.FunctionRecords(tenant, reference.Name), cancellationToken: cancellationToken);
            if (versions.Items.Count == 0)
            {
                return MetaError.FunctionNotFound(reference.Name);
            }

            WriteOp write = request.KeepVersions == 0
                ? new WriteOp.Delete(key)
                : new WriteOp.Put(key, JsonSerializer.SerializeToUtf8Bytes(request, AliasJson.Default.VersionRetention));
            if ((await _store.TxnAsync([.. versions.Items.Select(kv => new Compare(kv.Key, kv.ModRevision))], [write], cancellationToken)).Succeeded)
            {
                return request;
            }
        }

        throw new InvalidOperationException($"setting the retention of {reference.Name} lost {MaxAttempts} races in a row");
    }
}