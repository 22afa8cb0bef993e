using System.Net;

using MetaService.Server.Observability;
using MetaService.Server.Wire;

using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace MetaService.Server.Limits;

/// <summary>
/// Refuses a request whose <c>Host</c> names a host this server does not answer for (421, or 400 when the header is
/// not a host): a web page whose name an attacker re-points at 127.0.0.1 (DNS rebinding) would otherwise reach a
/// loopback server as a same-origin caller. Address literals are always accepted (a page on an address is not
/// rebound). By default the names are <c>localhost</c> and those of the listen addresses, and requests that arrive
/// over the network (not on a loopback address) are not checked, since callers reach such a listener by names the
/// server cannot know (a service's DNS name); <c>Limits:AllowedHosts</c> lists the names instead (<c>*</c>: any).
/// </summary>
internal sealed class HostCheck(IServer server, IOptions<LimitsOptions> options)
{
    private readonly string[] _configured = options.Value.AllowedHosts;
    private HashSet<string>? _names;

    public bool AnyHost { get; } = options.Value.AllowedHosts.Contains("*");

    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var host = context.Request.Host;
        if (AnyHost || !host.HasValue || Allowed(host.Host, context.Connection.LocalIpAddress))
        {
            return next(context);
        }

        var valid = Uri.CheckHostName(host.Host) != UriHostNameType.Unknown;
        return WireErrors.RefuseAsync(context, valid ? StatusCodes.Status421MisdirectedRequest : StatusCodes.Status400BadRequest, valid ? 421 : 400,
            valid ? $"this server does not answer for host '{Printable.Of(host.Host)}'; its names are set by Limits:AllowedHosts"
                : $"the Host header '{Printable.Of(host.Value)}' is not a host name");
    }

    private bool Allowed(string host, IPAddress? local)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out _))
        {
            return true;
        }

        if (_configured.Length == 0 && local is not null && !IPAddress.IsLoopback(local))
        {
            return true;
        }

        _names ??= Names();
        return _names.Contains(host);
    }

    private HashSet<string> Names()
    {
        if (_configured.Length > 0)
        {
            return new HashSet<string>(_configured, StringComparer.OrdinalIgnoreCase);
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "localhost" };
        foreach (var address in server.Features.GetRequiredFeature<IServerAddressesFeature>().Addresses)
        {
            // An address of any host (http://+:80, http://*:80) does not parse, and names none.
            if (Uri.TryCreate(address, UriKind.Absolute, out var uri))
            {
                names.Add(uri.Host);
            }
        }

        return names;
    }
}