using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MetaService.Deployment.Tests;

internal static class Tools
{
    /// <summary>A loopback port nobody listens on now; another process may take it before the caller binds it (see
    /// <see cref="ChildServer.StartOnFreePortAsync"/>, which tries again).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Sends a signal with the <c>kill</c> command (the BCL sends only SIGKILL).</summary>
    public static void Signal(int processId, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, processId.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>A fresh directory under the temporary folder, for one test's files.</summary>
    public static string NewDirectory()
    {
        var directory = Path.Combine(Path.GetTempPath(), "metaservice-deploy-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        return directory;
    }
}