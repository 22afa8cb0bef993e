namespace MetaService.Load;

/// <summary>The HTTP ceiling: the smallest ASP.NET Core app (same host defaults as the server) answering
/// the bytes of a GET of one function, read once from a file. Nothing can answer that GET faster here.</summary>
public static class Ceiling
{
    public static async Task RunAsync(string[] args)
    {
        var bodyFile = Entry.Option(args, "--body") ?? throw new ArgumentException("ceiling needs --body <file>");
        var body = await File.ReadAllBytesAsync(bodyFile);
        var builder = WebApplication.CreateBuilder(args);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        app.MapGet("/", () => Results.Bytes(body, "application/json; charset=utf-8"));
        await app.RunAsync();
    }
}