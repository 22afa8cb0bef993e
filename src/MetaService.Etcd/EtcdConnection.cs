using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

using Etcdserverpb;

using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Balancer;
using Grpc.Net.Client.Configuration;

using MetaService.Core.Storage;

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MetaService.Etcd;

/// <summary>
/// One gRPC channel to every etcd member (round robin over the members that answer), etcd
/// authentication, and the deadline and retry policy of every call: a call that fails on a transient
/// fault (no leader, member down) is retried on another member until the request deadline, then fails
/// with <see cref="StoreUnavailableException"/>.
/// </summary>
internal sealed partial class EtcdConnection : IDisposable
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMilliseconds(500);

    private readonly EtcdStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly GrpcChannel _channel;
    private readonly ServiceProvider _services;
    private Metadata? _token;

    public EtcdConnection(EtcdStoreOptions options, TimeProvider time, ILogger logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
        var uris = options.Endpoints.Select(e => new Uri(e)).ToList();
        var tls = uris[0].Scheme == Uri.UriSchemeHttps;
        var collection = new ServiceCollection();
        collection.AddSingleton<ResolverFactory>(new StaticResolverFactory(_ => [.. uris.Select(u => new BalancerAddress(u.Host, u.Port))]));
        _services = collection.BuildServiceProvider();
        _channel = GrpcChannel.ForAddress("static:///etcd", new GrpcChannelOptions
        {
            Credentials = tls ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure,
            HttpHandler = Handler(options, tls),
            DisposeHttpClient = true,
            ServiceProvider = _services,
            ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { new RoundRobinConfig() } },
        });
        Kv = new KV.KVClient(_channel);
        Watch = new Watch.WatchClient(_channel);
    }

    public KV.KVClient Kv { get; }

    public Watch.WatchClient Watch { get; }

    /// <summary>Runs <paramref name="call"/> under the request deadline. <paramref name="idempotent"/> calls are
    /// retried on every transient fault; the others only when the fault proves nothing was applied.</summary>
    public async Task<T> CallAsync<T>(string what, bool idempotent, Func<CallOptions, Task<T>> call, CancellationToken cancellationToken)
    {
        var start = _time.GetUtcNow();
        var deadline = start + _options.RequestTimeout;
        var backoff = FirstBackoff;
        for (var attempt = 1; ; attempt++)
        {
            var now = _time.GetUtcNow();
            var attemptDeadline = now + _options.AttemptTimeout < deadline ? now + _options.AttemptTimeout : deadline;
            Metadata? headers = null;
            try
            {
                headers = await HeadersAsync(deadline, cancellationToken);
                return await call(new CallOptions(headers, attemptDeadline.UtcDateTime, cancellationToken));
            }
            catch (Exception failure) when (!cancellationToken.IsCancellationRequested && failure is RpcException or OperationCanceledException)
            {
                // gRPC may report an attempt's deadline as a cancellation rather than as DeadlineExceeded.
                var e = failure as RpcException ?? new RpcException(new Status(StatusCode.DeadlineExceeded, "the attempt's deadline passed", failure));
                if (IsAuthExpired(e))
                {
                    ForgetToken(headers);
                }

                if (IsTooLarge(e))
                {
                    throw new StoreWriteTooLargeException($"etcd refused {what} as too large: {e.Status.Detail}", e);
                }

                var retry = IsAuthExpired(e) || (idempotent ? IsTransient(e) : IsNotApplied(e));
                if (!retry || _time.GetUtcNow() + backoff >= deadline)
                {
                    throw Fault(what, e, attempt, _time.GetUtcNow() - start, retry || idempotent);
                }

                LogRetry(_logger, what, attempt, e.StatusCode, e.Status.Detail);
                await Task.Delay(backoff, _time, cancellationToken);
                backoff = backoff * 2 < MaxBackoff ? backoff * 2 : MaxBackoff;
            }
        }
    }

    /// <summary>The call headers: the etcd auth token when a user is configured.</summary>
    public async Task<Metadata?> HeadersAsync(DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(_options.User))
        {
            return null;
        }

        if (_token is { } token)
        {
            return token;
        }

        var auth = new Auth.AuthClient(_channel);
        var response = await auth.AuthenticateAsync(
            new AuthenticateRequest { Name = _options.User, Password = _options.Password ?? "" },
            deadline: deadline.UtcDateTime,
            cancellationToken: cancellationToken);
        _token = new Metadata { { "token", response.Token } };
        return _token;
    }

    /// <summary>Drops <paramref name="stale"/>, a token etcd no longer accepts (expired, or dropped when auth was
    /// turned off and on), so the next call authenticates again; a newer token is kept.</summary>
    public void ForgetToken(Metadata? stale)
    {
        if (stale is not null)
        {
            Interlocked.CompareExchange(ref _token, null, stale);
        }
    }

    /// <summary>Whether etcd refused a request (or cancelled a watch, giving <paramref name="reason"/>) for its token.</summary>
    public static bool IsAuthExpired(string reason) =>
        reason.Contains("invalid auth token", StringComparison.OrdinalIgnoreCase)
        || reason.Contains("code = Unauthenticated", StringComparison.OrdinalIgnoreCase);

    public StoreUnavailableException Fault(string what, Exception e, int attempts, TimeSpan elapsed, bool outcomeKnown)
    {
        var detail = (e is RpcException rpc ? $"{rpc.StatusCode}: {rpc.Status.Detail}" : e.Message).TrimEnd('.');
        var outcome = outcomeKnown ? "" : "; the write may or may not have been applied: read it back before retrying";
        return new StoreUnavailableException(
            $"etcd ({_options.EndpointList}) failed {what} after {attempts} attempt(s) in {elapsed.TotalSeconds:0.0} s: {detail}{outcome}", e)
        {
            OutcomeUnknown = !outcomeKnown,
        };
    }

    public void Dispose()
    {
        _channel.Dispose();
        _services.Dispose();
    }

    /// <summary>etcd refused the request for its size, before applying anything: over <c>--max-request-bytes</c>
    /// ("request is too large"), or over gRPC's receive limit, which etcd sets 512 KiB above it.</summary>
    private static bool IsTooLarge(RpcException e) =>
        (e.StatusCode == StatusCode.InvalidArgument && e.Status.Detail.Contains("request is too large", StringComparison.OrdinalIgnoreCase))
        || (e.StatusCode == StatusCode.ResourceExhausted && e.Status.Detail.Contains("message larger than max", StringComparison.OrdinalIgnoreCase));

    /// <summary>A fault that may pass: a member down, no leader yet, a slow member.</summary>
    private static bool IsTransient(RpcException e) => e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded
        or StatusCode.Aborted or StatusCode.ResourceExhausted or StatusCode.Unknown or StatusCode.Internal;

    /// <summary>A fault raised before etcd accepted the request, so a write certainly did not apply: the member
    /// could not be reached, or it has no leader to propose to.</summary>
    private static bool IsNotApplied(RpcException e) => e.StatusCode == StatusCode.Unavailable && (
        e.Status.Detail.Contains("no leader", StringComparison.OrdinalIgnoreCase)
        || e.Status.Detail.Contains("not capable", StringComparison.OrdinalIgnoreCase)
        || e.Status.Detail.Contains("too many requests", StringComparison.OrdinalIgnoreCase)
        || e.Status.Detail.Contains("Error connecting", StringComparison.OrdinalIgnoreCase)
        || e.Status.Detail.Contains("refused", StringComparison.OrdinalIgnoreCase)
        || e.Status.Detail.Contains("No connection", StringComparison.OrdinalIgnoreCase));

    private static bool IsAuthExpired(RpcException e) => e.StatusCode == StatusCode.Unauthenticated || IsAuthExpired(e.Status.Detail);

    private static SocketsHttpHandler Handler(EtcdStoreOptions options, bool tls)
    {
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            KeepAlivePingDelay = TimeSpan.FromSeconds(10),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(5),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
            ConnectTimeout = options.AttemptTimeout,
        };
        if (!tls)
        {
            return handler;
        }

        var ssl = new SslClientAuthenticationOptions();
        if (!string.IsNullOrEmpty(options.CertFile))
        {
            ssl.ClientCertificates = [X509Certificate2.CreateFromPemFile(options.CertFile, options.KeyFile)];
        }

        if (!string.IsNullOrEmpty(options.CaFile))
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(options.CaFile);
            ssl.CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            ssl.CertificateChainPolicy.CustomTrustStore.AddRange(roots);
        }

        handler.SslOptions = ssl;
        return handler;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "etcd {What}: attempt {Attempt} failed with {Status} ({Detail}); retrying")]
    private static partial void LogRetry(ILogger logger, string what, int attempt, StatusCode status, string detail);
}