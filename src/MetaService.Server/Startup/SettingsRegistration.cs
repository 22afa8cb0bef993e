using MetaService.Core;

using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MetaService.Server.Startup;

/// <summary>The one way settings are read: a settings type is bound from its configuration section and checked at
/// start by its own <see cref="ISettings.Problems"/>; any problem stops the start with one line naming the key.</summary>
internal static class SettingsRegistration
{
    public static OptionsBuilder<T> AddSettings<T>(this IServiceCollection services, IConfiguration section)
        where T : class, ISettings
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<T>, ProblemsValidator<T>>());
        return services.AddOptions<T>().Bind(section).ValidateOnStart();
    }

    private sealed class ProblemsValidator<T> : IValidateOptions<T>
        where T : class, ISettings
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var problems = options.Problems().ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}