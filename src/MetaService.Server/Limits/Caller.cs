namespace MetaService.Server.Limits;

/// <summary>
/// Who is calling, as far as limits are concerned. Authentication, once it has checked a credential, names it with
/// <see cref="Identify"/>; until then a caller is its remote address and the <c>X-Tenant-Id</c> it sends (a proxy that
/// forwards many tenants from one address then gives each tenant its own share).
/// </summary>
public static class Caller
{
    private static readonly object Item = new();

    /// <summary>Names the credential the request was authenticated with; limits count per credential from then on.</summary>
    public static void Identify(HttpContext context, string credentialId) => context.Items[Item] = credentialId;

    /// <summary>The key limits count the request under.</summary>
    public static string KeyOf(HttpContext context)
    {
        if (context.Items.TryGetValue(Item, out var id) && id is string credential)
        {
            return "credential " + credential;
        }

        var tenant = context.Request.Headers["X-Tenant-Id"].ToString();
        // Bounded, so that a caller cannot make the limiter keep long keys; valid tenants are at most 128 characters.
        return $"{context.Connection.RemoteIpAddress} {(tenant.Length > 128 ? tenant[..128] : tenant)}";
    }
}