using MetaService.Server.Startup;
using MetaService.Server.Tokens;

using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MetaService.Server.Auth;

/// <summary>Reads <c>Auth:Mode</c> and puts the gate before every route. A new mode is one class implementing
/// <see cref="ICredentialScheme"/> and one line in <see cref="Modes"/>.</summary>
public static class AuthRegistration
{
    /// <summary>Every mode but <c>none</c>, by its name in <c>Auth:Mode</c>.</summary>
    public static readonly IReadOnlyDictionary<string, Type> Modes = new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase)
    {
        ["token"] = typeof(ApiTokenScheme),
        ["openyuanrong"] = typeof(OpenYuanrongScheme),
        ["jwt"] = typeof(JwtScheme),
        [MutualTlsScheme.Mode] = typeof(MutualTlsScheme),
    };

    public static IServiceCollection AddAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<AuthOptions>(configuration.GetSection(AuthOptions.Section))
            .PostConfigure(o => o.OpenYuanrong.DataKey = o.OpenYuanrong.DataKey.Length > 0
                ? o.OpenYuanrong.DataKey
                : Environment.GetEnvironmentVariable(AuthOptions.DataKeyVariable) ?? "");
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuthOptions>, ListenerRule>());
        services.AddSingleton<TokenDirectory>();

        var modes = new AuthOptions { Mode = configuration[$"{AuthOptions.Section}:{nameof(AuthOptions.Mode)}"] ?? "none" }.Modes;
        foreach (var mode in modes.Where(Modes.ContainsKey))
        {
            services.AddSingleton(Modes[mode]);
        }

        if (modes.Contains("token"))
        {
            services.AddHostedService(sp => sp.GetRequiredService<TokenDirectory>());
            services.AddHostedService<TokenBootstrap>();
        }

        services.AddSingleton(sp => new AuthGate(
            [.. modes.Where(Modes.ContainsKey).Select(m => (ICredentialScheme)sp.GetRequiredService(Modes[m]))],
            sp.GetRequiredService<IOptions<AuthOptions>>()));
        return services;
    }

    /// <summary>The gate, when a mode other than <c>none</c> is on (with <c>none</c> no request pays for it).</summary>
    public static WebApplication UseAuth(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<AuthOptions>>().Value.Modes.Count > 0)
        {
            var gate = app.Services.GetRequiredService<AuthGate>();
            app.Use(gate.InvokeAsync);
        }

        return app;
    }
}