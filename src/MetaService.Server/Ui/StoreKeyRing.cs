using System.Text;
using System.Xml.Linq;

using MetaService.Core.Storage;

using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;

namespace MetaService.Server.Ui;

/// <summary>
/// The data-protection keys that seal the console's antiforgery tokens, kept in the metadata store under
/// <see cref="Prefix"/> (MetaService's own root, which no openYuanrong component reads) instead of each machine's
/// <c>~/.aspnet</c>: every replica on one etcd then accepts the forms any of them rendered, with no sticky sessions, and
/// a restart (or a container without a writable home) does not refuse the forms of pages already open. The keys are
/// written unencrypted, as the store's other secrets-by-hash are: whoever can read the store can already change it.
/// </summary>
public sealed class StoreKeyRing(IMetaStore store) : IXmlRepository
{
    public const string Prefix = PlatformKeys.OwnRoot + "console/keys/";

    /// <summary>The same purposes on every replica, wherever it is installed (the default names the content root).</summary>
    public const string ApplicationName = "MetaService.Console";

    // Data protection asks synchronously, once when it first needs a key and then about once a day, never per request.
    public IReadOnlyCollection<XElement> GetAllElements() =>
        [.. store.RangeAsync(Prefix).GetAwaiter().GetResult().Items.Select(kv => XElement.Parse(Encoding.UTF8.GetString(kv.Value)))];

    /// <summary>Adds a key; names are unique (<c>key-GUID</c>), so a key is written once and never replaced.</summary>
    public void StoreElement(XElement element, string friendlyName)
    {
        var key = Prefix + friendlyName;
        var value = Encoding.UTF8.GetBytes(element.ToString(SaveOptions.DisableFormatting));
        store.TxnAsync([Compare.Absent(key)], [new WriteOp.Put(key, value)]).GetAwaiter().GetResult();
    }

    /// <summary>Data protection with its keys in the store, under one application name.</summary>
    public static void Register(IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName(ApplicationName);
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(provider =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = new StoreKeyRing(provider.GetRequiredService<IMetaStore>())));
    }
}