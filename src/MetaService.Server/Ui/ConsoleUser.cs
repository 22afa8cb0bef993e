using MetaService.Core;
using MetaService.Server.Auth;

namespace MetaService.Server.Ui;

/// <summary>Who uses the console on this request and for which tenant: a proved <see cref="Caller"/>, or nobody when
/// authentication is off (then anyone may do anything from loopback, as with the API) or not signed in yet.</summary>
public sealed record ConsoleUser(Caller? Caller, bool AuthOn, Tenant Tenant)
{
    private static readonly object Key = new();

    public bool SignedIn => Caller is not null || !AuthOn;

    /// <summary>May look at any tenant: an admin, or anyone with authentication off.</summary>
    public bool MaySwitchTenant => !AuthOn || Caller is { Role: Role.Admin };

    /// <summary>May open the admin pages (pod pools, reserved instances): an admin, or anyone with authentication off.</summary>
    public bool MayAdminister => !AuthOn || Caller is { Role: Role.Admin };

    /// <summary>May see the controls that change things, and reveal environment values: an editor or admin.</summary>
    public bool MayEdit => !AuthOn || Caller is { Role: >= Role.Editor };

    /// <summary>Sees secrets masked whatever it asks (a viewer), as in the API's answers.</summary>
    public bool Masked => Caller is { Role: Role.Viewer };

    /// <summary>The credential's id and role, as the page shows them.</summary>
    public string Who => Caller is { } caller ? $"{caller.Id} ({caller.Role.ToString().ToLowerInvariant()})" : "authentication is off";

    public static ConsoleUser Of(HttpContext context) =>
        context.Items.TryGetValue(Key, out var user) && user is ConsoleUser found ? found : new ConsoleUser(null, true, Tenant.Default);

    internal void Attach(HttpContext context) => context.Items[Key] = this;
}