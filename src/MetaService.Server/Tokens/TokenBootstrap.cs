using MetaService.Core.Storage;
using MetaService.Server.Auth;

using Microsoft.Extensions.Options;

namespace MetaService.Server.Tokens;

/// <summary>
/// Mode <c>token</c>: the first admin token (tenant <c>default</c>), so that an operator can make the others. It is the
/// value of <c>METASERVICE_BOOTSTRAP_TOKEN</c> (read through the configuration, which holds the environment's variables,
/// so that a test server can be given one), else the content of <c>Auth:BootstrapTokenFile</c>; when that file does not
/// exist, a new token is written to it (mode 0600) and its path is logged, never the token. Its hash is stored once (an
/// existing record is left as it is); revoking it and removing the variable or file retires it.
/// </summary>
internal sealed partial class TokenBootstrap(TokenDirectory tokens, IOptions<AuthOptions> options, IConfiguration configuration, TimeProvider time, ILogger<TokenBootstrap> logger) : IHostedService
{
    public const string Variable = "METASERVICE_BOOTSTRAP_TOKEN";

    /// <summary>A bootstrap token shorter than this is refused: its hash in the store must not be guessable.</summary>
    public const int MinimumLength = 32;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var token = configuration[Variable];
        var source = Variable;
        var file = options.Value.BootstrapTokenFile;
        if (string.IsNullOrEmpty(token) && file.Length > 0)
        {
            source = Path.GetFullPath(file);
            token = File.Exists(file) ? (await File.ReadAllTextAsync(file, cancellationToken)).Trim() : await CreateFileAsync(file, cancellationToken);
        }

        if (string.IsNullOrEmpty(token))
        {
            if (!(await tokens.ListAsync(cancellationToken)).Any(t => t.Role == Role.Admin))
            {
                LogNoAdmin(logger, Variable);
            }

            return;
        }

        if (token.Length < MinimumLength)
        {
            throw new Startup.SettingsException($"the bootstrap token of {source} has {token.Length} characters: give at least {MinimumLength} random ones "
                + "(or delete the file to have one made)");
        }

        if (JwtScheme.LooksLikeJwt(token))
        {
            // A bearer token in the form of a JWT is mode jwt's; it would never be looked up as an API token.
            throw new Startup.SettingsException($"the bootstrap token of {source} has the form of a JWT (header.payload.signature): give random characters without dots "
                + "(or delete the file to have one made)");
        }

        var hash = TokenRecord.HashOf(token);
        var record = new TokenRecord
        {
            Id = TokenRecord.IdOf(hash),
            Hash = hash,
            Tenant = "default",
            Role = Role.Admin,
            Description = "bootstrap",
            CreatedAt = time.GetUtcNow(),
        };
        var stored = await tokens.Store.TxnAsync([Compare.Absent(record.Key)], [new WriteOp.Put(record.Key, record.ToBytes())], cancellationToken);
        if (stored.Succeeded)
        {
            LogRegistered(logger, record.Id, source);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task<string> CreateFileAsync(string file, CancellationToken cancellationToken)
    {
        var token = TokenRecord.NewToken();
        var directory = Path.GetDirectoryName(Path.GetFullPath(file));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using (var stream = new FileStream(file, create))
        await using (var writer = new StreamWriter(stream))
        {
            await writer.WriteAsync(token.AsMemory(), cancellationToken);
        }

        LogCreated(logger, Path.GetFullPath(file));
        return token;
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Warning, Message = "wrote a new admin token to {Path} (mode 0600): read it from there, and keep the file private")]
    private static partial void LogCreated(ILogger logger, string path);

    [LoggerMessage(EventId = 41, Level = LogLevel.Information, Message = "registered the bootstrap admin token {Id} from {Source}")]
    private static partial void LogRegistered(ILogger logger, string id, string source);

    [LoggerMessage(EventId = 42, Level = LogLevel.Warning, Message = "Auth:Mode token is on but no admin token exists: set {Variable} or Auth:BootstrapTokenFile to make the first one (docs/security.md)")]
    private static partial void LogNoAdmin(ILogger logger, string variable);
}