using System.Net;
using System.Net.Sockets;

namespace MetaService.Store.Tests;

/// <summary>An etcd member that accepts connections and never answers (a hung process): a listener on a loopback port
/// that the kernel completes connections for, and that nothing reads.</summary>
internal sealed class SilentMember : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

    public SilentMember() => _listener.Start();

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public void Dispose() => _listener.Dispose();
}