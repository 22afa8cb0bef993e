using MetaService.Core;

namespace MetaService.Server.Auth;

/// <summary>What a credential may do, in increasing order: each role may do what the ones before it may.</summary>
public enum Role
{
    /// <summary>Reads its tenant's functions and reserved instances; environment values and secrets come masked.</summary>
    Viewer,

    /// <summary>Reads and writes its tenant's functions, versions and reserved instances.</summary>
    Editor,

    /// <summary>Any tenant, pod pools, tokens.</summary>
    Admin,
}

/// <summary>What a route asks of its caller: nothing, or at least a role.</summary>
public enum Access
{
    Anonymous,
    Viewer,
    Editor,
    Admin,
}

/// <summary>Who is calling, as a credential proved it: bound to one tenant (and product), with one role.
/// <paramref name="Id"/> names the credential in logs (a token's id, never its secret).</summary>
public sealed record Caller(string Id, Tenant Tenant, Role Role)
{
    /// <summary>The caller the gate let through, or null (auth mode <c>none</c>, or an anonymous route).</summary>
    public static Caller? Of(HttpContext context) => context.Items.TryGetValue(Key, out var caller) ? caller as Caller : null;

    /// <summary>Whether answers to this request hide environment values and secret members (viewers).</summary>
    public static bool Masks(HttpContext context) => Of(context) is { Role: Role.Viewer };

    internal void Attach(HttpContext context) => context.Items[Key] = this;

    /// <summary>Whether the credential this request was let in with still holds: false once it is revoked or has expired.
    /// What a long request (a watch) asks now and then; a request without a caller, or whose credential cannot lapse
    /// while the request lasts (a client certificate, a signed openYuanrong token), always holds.</summary>
    public static ValueTask<bool> StillHoldsAsync(HttpContext context, CancellationToken cancellationToken) =>
        context.Items.TryGetValue(LeaseKey, out var lease) && lease is Func<CancellationToken, ValueTask<bool>> holds
            ? holds(cancellationToken)
            : ValueTask.FromResult(true);

    internal static void Lease(HttpContext context, Func<CancellationToken, ValueTask<bool>>? holds)
    {
        if (holds is not null)
        {
            context.Items[LeaseKey] = holds;
        }
    }

    private static readonly object Key = new();
    private static readonly object LeaseKey = new();
}

/// <summary>What a scheme found on a request: nothing of its own (<see cref="Absent"/>), a caller, or a credential it
/// refuses (401, or 403 when the credential is genuine but may not call this service).</summary>
public readonly record struct Credential(Caller? Caller, string? Refusal, bool Forbidden = false, Func<CancellationToken, ValueTask<bool>>? Holds = null)
{
    /// <summary>A caller whose credential can lapse while a request lasts: <paramref name="holds"/> says whether it
    /// still holds (see <see cref="Caller.StillHoldsAsync"/>).</summary>
    public static Credential Until(Caller caller, Func<CancellationToken, ValueTask<bool>> holds) => new(caller, null, Holds: holds);

    public static Credential Absent => default;

    public static Credential Refused(string message) => new(null, message);

    public static Credential NotAllowed(string message) => new(null, message, Forbidden: true);

    public static implicit operator Credential(Caller caller) => new(caller, null);
}

/// <summary>One way of proving who calls (an auth mode). A mode is one class implementing this and one line in
/// <see cref="AuthRegistration"/>.</summary>
public interface ICredentialScheme
{
    /// <summary>The <c>WWW-Authenticate</c> challenge of this scheme, e.g. <c>Bearer realm="metaservice"</c>.</summary>
    string Challenge { get; }

    /// <summary>What a caller without a credential is told to send, e.g. <c>Authorization: Bearer &lt;token&gt;</c>.</summary>
    string Asks { get; }

    /// <summary>Reads the scheme's own header; <see cref="Credential.Absent"/> when the request does not carry it.</summary>
    ValueTask<Credential> AuthenticateAsync(HttpRequest request, CancellationToken cancellationToken);
}

/// <summary>A route's <see cref="Access"/>, as endpoint metadata (<see cref="AccessExtensions.RequireAccess{T}"/>).</summary>
public sealed record AccessMetadata(Access Access);

public static class AccessExtensions
{
    /// <summary>Declares what the routes of <paramref name="builder"/> ask of a caller; without it a route asks viewer
    /// to read (GET) and editor otherwise.</summary>
    public static T RequireAccess<T>(this T builder, Access access)
        where T : IEndpointConventionBuilder => builder.WithMetadata(new AccessMetadata(access));
}