using System.Collections.Concurrent;

using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MetaService.Server.Tests.Observability;

/// <summary>A real logger provider that keeps every line a server logs, at every level: the formatted message,
/// each structured value, each scope value and the exception, as one text per entry.</summary>
public sealed class LogCapture : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly SemaphoreSlim _added = new(0);
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyCollection<string> Lines => _lines;

    /// <summary>A server of <paramref name="factory"/> that logs everything, at trace level, into a new capture.</summary>
    public static (WebApplicationFactory<Program> Server, LogCapture Capture) Attach(MetaServiceFactory factory)
    {
        var capture = new LogCapture();
        var server = factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("Logging:LogLevel:Default", "Trace");
            b.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Trace");
            b.ConfigureServices(s => s.AddLogging(l => l.ClearProviders().AddProvider(capture)));
        });
        return (server, capture);
    }

    /// <summary>Waits until a line satisfies <paramref name="match"/> (the access line is written after the answer is sent).</summary>
    public async Task<string> WaitForAsync(Func<string, bool> match)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            if (_lines.FirstOrDefault(match) is { } line)
            {
                return line;
            }

            await _added.WaitAsync(timeout.Token);
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose() => _added.Dispose();

    private void Add(string line)
    {
        _lines.Enqueue(line);
        _added.Release();
    }

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => capture._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var parts = new List<string> { category, formatter(state, exception) };
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                parts.AddRange(values.Select(v => $"{v.Key}={v.Value}"));
            }

            capture._scopes.ForEachScope((scope, list) => list.Add("scope:" + scope), parts);
            if (exception is not null)
            {
                parts.Add(exception.ToString());
            }

            capture.Add(string.Join(" | ", parts));
        }
    }
}