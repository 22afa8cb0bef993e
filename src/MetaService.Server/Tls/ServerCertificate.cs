using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

using Microsoft.Extensions.Options;

namespace MetaService.Server.Tls;

/// <summary>
/// The certificate the https listeners serve, from <c>Tls:CertificateFile</c> and <c>Tls:KeyFile</c>, with the
/// intermediates that follow it in the certificate file. A new connection asks for it; at most every
/// <c>Tls:ReloadCheckSeconds</c> that asking looks at both files' last-write time and length (two <c>stat</c> calls, no
/// file watcher: a user has 128 inotify instances) and, when either changed, loads the pair again. A pair that does not
/// load (half written during a rotation, a key of another certificate) leaves the previous certificate in service and
/// is warned about once; the next change of the files is tried again.
/// </summary>
public sealed partial class ServerCertificate
{
    private readonly string _certificateFile;
    private readonly string _keyFile;
    private readonly long _interval;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private Loaded _current;
    private long _nextCheck;
    private int _checking;
    private Stamp? _refused;

    public ServerCertificate(IOptions<TlsOptions> options, TimeProvider time, ILogger<ServerCertificate> logger)
    {
        var settings = options.Value;
        _certificateFile = settings.CertificateFile;
        _keyFile = settings.KeyFile;
        _interval = settings.ReloadCheckSeconds * time.TimestampFrequency;
        _time = time;
        _logger = logger;
        var stamp = StampOf(_certificateFile, _keyFile) ?? throw new Startup.SettingsException($"Tls:CertificateFile '{_certificateFile}' or Tls:KeyFile '{_keyFile}' cannot be read");
        if (TryLoad(_certificateFile, _keyFile, out var loaded) is { } problem)
        {
            throw new Startup.SettingsException(problem);
        }

        _current = loaded! with { Stamp = stamp };
        _nextCheck = time.GetTimestamp() + _interval;
        if (_logger.IsEnabled(LogLevel.Information))
        {
            LogServing(_logger, _current.Leaf.Subject, _current.Leaf.Thumbprint, _current.Leaf.NotAfter, _current.Intermediates);
        }
    }

    /// <summary>The certificate in service now (after a look at the files when one is due).</summary>
    public X509Certificate2 Certificate => Current().Leaf;

    /// <summary>The certificate in service now with its chain, as TLS handshakes take it.</summary>
    public SslStreamCertificateContext Context => Current().Context;

    /// <summary>Loads a pair of PEM files: null and the pair, or a one-line problem naming the settings.</summary>
    public static string? TryLoad(string certificateFile, string keyFile, out Loaded? loaded)
    {
        loaded = null;
        try
        {
            // Each file read once, so that the certificate and its chain come from the same content.
            var certificatePem = File.ReadAllText(certificateFile);
            var keyPem = File.ReadAllText(keyFile);
            var leaf = X509Certificate2.CreateFromPem(certificatePem, keyPem);
            var all = new X509Certificate2Collection();
            all.ImportFromPem(certificatePem);
            var intermediates = new X509Certificate2Collection(all.Where(c => c.Thumbprint != leaf.Thumbprint).ToArray());
            var context = SslStreamCertificateContext.Create(leaf, intermediates, offline: true);
            loaded = new Loaded(leaf, context, intermediates.Count, default);
            return null;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            return $"Tls:CertificateFile '{certificateFile}' and Tls:KeyFile '{keyFile}' cannot be loaded as a certificate and its key "
                + $"({e.Message.ReplaceLineEndings(" ").TrimEnd('.')}): give the PEM certificate (intermediates after it) and its unencrypted PEM private key";
        }
    }

    private Loaded Current()
    {
        var now = _time.GetTimestamp();
        if (now >= Volatile.Read(ref _nextCheck) && Interlocked.Exchange(ref _checking, 1) == 0)
        {
            try
            {
                LookAtTheFiles();
                Volatile.Write(ref _nextCheck, now + _interval);
            }
            finally
            {
                Volatile.Write(ref _checking, 0);
            }
        }

        return Volatile.Read(ref _current);
    }

    private void LookAtTheFiles()
    {
        var current = Volatile.Read(ref _current);
        if (StampOf(_certificateFile, _keyFile) is not { } stamp || stamp == current.Stamp || stamp == _refused)
        {
            return;
        }

        if (TryLoad(_certificateFile, _keyFile, out var loaded) is { } problem)
        {
            _refused = stamp;
            LogNotLoaded(_logger, problem, current.Leaf.Thumbprint);
            return;
        }

        Volatile.Write(ref _current, loaded! with { Stamp = stamp });
        _refused = null;
        if (_logger.IsEnabled(LogLevel.Information))
        {
            LogReloaded(_logger, loaded.Leaf.Subject, loaded.Leaf.Thumbprint, loaded.Leaf.NotAfter, loaded.Intermediates, current.Leaf.Thumbprint);
        }
    }

    /// <summary>Both files' last-write time and length; null while one is missing or unreadable (mid-rotation).</summary>
    private static Stamp? StampOf(string certificateFile, string keyFile)
    {
        try
        {
            var certificate = new FileInfo(certificateFile);
            var key = new FileInfo(keyFile);
            return certificate.Exists && key.Exists
                ? new Stamp(certificate.LastWriteTimeUtc, certificate.Length, key.LastWriteTimeUtc, key.Length)
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>A pair in service: the certificate with its key, its handshake context (with the chain), how many
    /// intermediates came with it, and the files' stamp when they were read.</summary>
    public sealed record Loaded(X509Certificate2 Leaf, SslStreamCertificateContext Context, int Intermediates, Stamp Stamp);

    public readonly record struct Stamp(DateTime CertificateWritten, long CertificateLength, DateTime KeyWritten, long KeyLength);

    [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "https: serving certificate {Subject} ({Thumbprint}, valid until {NotAfter:O}) with {Intermediates} intermediate(s)")]
    private static partial void LogServing(ILogger logger, string subject, string thumbprint, DateTime notAfter, int intermediates);

    [LoggerMessage(EventId = 41, Level = LogLevel.Information, Message = "https: the certificate files changed: now serving {Subject} ({Thumbprint}, valid until {NotAfter:O}) with {Intermediates} intermediate(s), instead of {Previous}")]
    private static partial void LogReloaded(ILogger logger, string subject, string thumbprint, DateTime notAfter, int intermediates, string previous);

    [LoggerMessage(EventId = 42, Level = LogLevel.Warning, Message = "https: the certificate files changed but do not load; still serving {Thumbprint}: {Problem}")]
    private static partial void LogNotLoaded(ILogger logger, string problem, string thumbprint);
}