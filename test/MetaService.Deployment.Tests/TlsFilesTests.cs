using System.Net;

using MetaService.Etcd.Testing;

namespace MetaService.Deployment.Tests;

/// <summary>The certificate files the process deployment's file names: an etcd reached over TLS with the etcd section's
/// files (authType TLS), a module key encrypted with the passphrase of pwdFile, and a key MetaService cannot read.</summary>
public sealed class TlsFilesTests : IDisposable
{
    private readonly string _directory = Tools.NewDirectory();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task EtcdWithTls_IsReachedWithTheFilesOfTheEtcdSection()
    {
        await using var etcd = await EtcdCluster.StartAsync(1, tls: true, TestContext.Current.CancellationToken);
        var pki = etcd.Certificates!;
        string Config(int port)
        {
            var values = OriginalFiles.ProcessValues(OriginalFiles.HostPort(etcd.ClientUrls[0]), OriginalFiles.HostPort(etcd.ClientUrls[0]), "az-etcd-tls", port);
            values["sslEnable"] = "true";
            values["etcdAuthType"] = "TLS";
            values["etcdCAFile"] = pki.CaFile;
            values["etcdCertFile"] = pki.ClientCertFile;
            values["etcdKeyFile"] = pki.ClientKeyFile;
            return OriginalFiles.Render("process-config.json", _directory, values);
        }

        var (server, listening, _) = await ChildServer.StartOnFreePortAsync(port => ChildServer.Start(["-config_path", Config(port)]));
        await using var stopped = server;

        using var http = new Http(listening);
        var (created, _) = await http.SendAsync(HttpMethod.Post, "/serverless/v1/functions", Http.Function(Http.Name(), runtime: "python3.10"));

        Assert.Equal(HttpStatusCode.OK, created);
        Assert.Contains($"on etcd {etcd.ClientUrls[0]} (prefix /az-etcd-tls)", server.OutputText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModuleKeyEncryptedWithThePassphraseOfPwdFile_IsRead()
    {
        var pki = TestPki.Create(_directory, keyPassphrase: "s3cret-pass");
        var etcd = OriginalFiles.HostPort(SharedEtcd.Cluster.ClientUrls[0]);
        string Config(int port)
        {
            var values = OriginalFiles.ProcessValues(etcd, etcd, "az-encrypted", port);
            values["metaserviceSslEnable"] = "true";
            values["rootCAFile"] = pki.CaFile;
            values["moduleCertFile"] = pki.ModuleCertFile;
            values["moduleKeyFile"] = pki.ModuleKeyFile;
            values["pwdFile"] = pki.PwdFile;
            return OriginalFiles.Render("process-config.json", _directory, values);
        }

        var (server, listening, _) = await ChildServer.StartOnFreePortAsync(port => ChildServer.Start(["-config_path", Config(port), "--Original:TlsHealthPort", "0"]));
        await using var stopped = server;

        Assert.Equal("https", listening.Scheme);
    }

    [Fact]
    public async Task KeyForTheDecryptTool_StopsTheStart_InOneLineSayingSo()
    {
        var pki = TestPki.Create(_directory);
        await File.WriteAllTextAsync(pki.ModuleKeyFile, "c2NjLWVuY3J5cHRlZC1ibG9i\n", TestContext.Current.CancellationToken);
        var etcd = OriginalFiles.HostPort(SharedEtcd.Cluster.ClientUrls[0]);
        var values = OriginalFiles.ProcessValues(etcd, etcd, "az-scc", Tools.FreePort());
        values["metaserviceSslEnable"] = "true";
        values["rootCAFile"] = pki.CaFile;
        values["moduleCertFile"] = pki.ModuleCertFile;
        values["moduleKeyFile"] = pki.ModuleKeyFile;
        await using var server = ChildServer.Start(["-config_path", OriginalFiles.Render("process-config.json", _directory, values)]);

        var exit = await server.ExitCodeAsync();

        Assert.Equal(1, exit);
        var line = Assert.Single(server.Errors);
        Assert.Contains("mutualSSLConfig.moduleCertFile/moduleKeyFile", line, StringComparison.Ordinal);
        Assert.Contains("sslDecryptTool", line, StringComparison.Ordinal);
    }
}