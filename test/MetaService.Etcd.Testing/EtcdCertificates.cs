namespace MetaService.Etcd.Testing;

/// <summary>
/// Test PKI made with the <c>openssl</c> binary: a CA, a server certificate for 127.0.0.1 and a client
/// certificate signed by it, and a second CA that signed neither (to prove a wrong CA is refused).
/// </summary>
public sealed class EtcdCertificates
{
    private EtcdCertificates(string directory) => Directory = directory;

    public string Directory { get; }

    public string CaFile => Path.Combine(Directory, "ca.crt");

    public string ServerCertFile => Path.Combine(Directory, "server.crt");

    public string ServerKeyFile => Path.Combine(Directory, "server.key");

    public string ClientCertFile => Path.Combine(Directory, "client.crt");

    public string ClientKeyFile => Path.Combine(Directory, "client.key");

    /// <summary>A CA that signed nothing the members present.</summary>
    public string OtherCaFile => Path.Combine(Directory, "other-ca.crt");

    /// <summary>Makes the CA, server and client certificates in <paramref name="directory"/>.</summary>
    public static async Task<EtcdCertificates> CreateAsync(string directory, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(directory);
        var pki = new EtcdCertificates(directory);
        await pki.CaAsync("ca", cancellationToken);
        await pki.CaAsync("other-ca", cancellationToken);
        await pki.SignedAsync("server", "127.0.0.1", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n", cancellationToken);
        await pki.SignedAsync("client", "root", "extendedKeyUsage=clientAuth\n", cancellationToken);
        return pki;
    }

    private Task<string> CaAsync(string name, CancellationToken cancellationToken) => OpensslAsync(
        ["req", "-x509", .. NewKey(name), "-out", name + ".crt", "-days", "2", "-subj", "/CN=metaservice-test-" + name,
         "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
        cancellationToken);

    private async Task SignedAsync(string name, string commonName, string extensions, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(Path.Combine(Directory, name + ".ext"), "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\n" + extensions, cancellationToken);
        await OpensslAsync(["req", .. NewKey(name), "-out", name + ".csr", "-subj", "/CN=" + commonName], cancellationToken);
        await OpensslAsync(
            ["x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
             "-out", name + ".crt", "-days", "2", "-extfile", name + ".ext"],
            cancellationToken);
    }

    private static string[] NewKey(string name) => ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", name + ".key"];

    private Task<string> OpensslAsync(string[] arguments, CancellationToken cancellationToken) =>
        Tools.RunAsync("openssl", arguments, Directory, cancellationToken);
}