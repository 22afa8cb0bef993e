using System.Text.Json;

using MetaService.Core.Records;
using MetaService.Core.Storage;
using MetaService.Server.Tests.Observability;
using MetaService.Server.Wire;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MetaService.Server.Tests.Faults;

/// <summary>What <see cref="WireErrors"/> answers when a route fails (the server's pipeline in the test's process, one
/// request each): the status, the <c>{code, message}</c> body, its content type, the code left for the access log, a
/// cleared answer, and which faults are logged.</summary>
public sealed class FaultAnswerTests
{
    private const string Path = "/serverless/v1/functions/0@faulty@hello";

    [Fact]
    public async Task AnUnexpectedFault_Is500_150500_NamingNoCause_AndIsLoggedOnce()
    {
        var answer = await AnswerAsync(_ => throw new InvalidOperationException("secret /var/lib/meta/meta.db"));

        answer.Is(500, 150500, "internal server error; the server log has the details");
        var fault = Assert.Single(answer.Log, l => l.StartsWith("MetaService.Faults | ", StringComparison.Ordinal));
        Assert.StartsWith($"MetaService.Faults | request GET {Path} failed |", fault, StringComparison.Ordinal);
        Assert.Contains("secret /var/lib/meta/meta.db", fault, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnreachableStore_Is503_122002_AndSaysToRetry()
    {
        var answer = await AnswerAsync(_ => throw new StoreUnavailableException("etcd at 10.0.0.1:2379 refused"));

        answer.Is(503, 122002, "the metadata store is unavailable; retry later (the server log has the cause)");
        Assert.Single(answer.Log, l => l.StartsWith($"MetaService.Faults | request GET {Path} failed |", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AStoreTimeout_Is503_122002()
    {
        var answer = await AnswerAsync(_ => throw new TimeoutException("the store did not answer"));

        answer.Is(503, 122002, "the metadata store is unavailable; retry later (the server log has the cause)");
    }

    [Fact]
    public async Task AWriteOfUnknownOutcome_Is503_AndSaysToReadItBackBeforeRetrying()
    {
        var answer = await AnswerAsync(_ => throw new StoreUnavailableException("lost the leader") { OutcomeUnknown = true });

        answer.Is(503, 122002, "the metadata store is unavailable; retry later (the server log has the cause); "
            + "the write may or may not have been applied: read it back before retrying");
    }

    [Fact]
    public async Task AnUnreadableRecord_Is500_150500_NamingTheKeyToFix_AndIsNotLoggedAgain()
    {
        var answer = await AnswerAsync(_ => throw new UnreadableRecordException("/sn/functions/x", "not JSON"));

        answer.Is(500, 150500, "the stored record at /sn/functions/x cannot be read (not JSON); fix or delete that key");
        Assert.DoesNotContain(answer.Log, l => l.StartsWith("MetaService.Faults | ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheServersOwnRefusalOfTheBody_KeepsItsStatus_AndIsLoggedAsARefusal()
    {
        var answer = await AnswerAsync(_ => throw new BadHttpRequestException("Request body too large.", 413));

        answer.Is(413, 413, "Request body too large.");
        var refusal = Assert.Single(answer.Log, l => l.StartsWith("MetaService.Faults | ", StringComparison.Ordinal));
        Assert.StartsWith($"MetaService.Faults | request GET {Path} refused with 413: Request body too large. |", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWriteTooLargeForTheStore_Is413_4104_AndIsLoggedAsARefusal()
    {
        var answer = await AnswerAsync(_ => throw new StoreWriteTooLargeException("etcdserver: request is too large"));

        answer.Is(413, 4104, "the write is larger than the metadata store accepts; make the function's members smaller"
            + MetaService.Core.MetaError.CheckInput);
        Assert.Single(answer.Log, l => l.StartsWith($"MetaService.Faults | request GET {Path} refused with 413: etcdserver: request is too large |", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AFaultOfARequestTheClientAbandoned_IsNeitherAnsweredNorLogged()
    {
        using var capture = new LogCapture();

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => AnswerAsync(_ => throw new InvalidOperationException("late"), abandonedBy: capture));

        Assert.Equal("late", thrown.Message);
        Assert.DoesNotContain(capture.Lines, l => l.StartsWith("MetaService.Faults | ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnEmptyErrorStatus_GetsABodyNamingTheStatusAndRequest()
    {
        var answer = await AnswerAsync(context =>
        {
            context.Response.StatusCode = 405;
            return Task.CompletedTask;
        });

        answer.Is(405, 405, $"Method Not Allowed: GET {Path}", cleared: false);
    }

    [Theory]
    [InlineData(400, "Bad Request", null)]
    [InlineData(599, "", null)]
    [InlineData(404, "Not Found", "")]
    public async Task EveryEmptyErrorStatus_From400To599_GetsABody_AnEmptyContentTypeCountingAsNone(int status, string reason, string? contentType)
    {
        var answer = await AnswerAsync(context =>
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = contentType;
            return Task.CompletedTask;
        });

        answer.Is(status, status, $"{reason}: GET {Path}", cleared: false);
    }

    [Theory]
    [InlineData(399)]
    [InlineData(600)]
    public async Task AStatusOutside400To599_IsLeftWithoutABody(int status)
    {
        var answer = await AnswerAsync(context =>
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        });

        Assert.Equal((status, JsonValueKind.Undefined), (answer.Context.Response.StatusCode, answer.Body.ValueKind));
    }

    /// <summary>Runs one GET of <see cref="Path"/> through the fault handling in front of <paramref name="route"/>, which
    /// first sets a header of its own (a fault's answer must not keep it). Given <paramref name="abandonedBy"/>, the client
    /// has gone before the route fails, and the log is captured there.</summary>
    private static async Task<Answer> AnswerAsync(Func<HttpContext, Task> route, LogCapture? abandonedBy = null)
    {
        using var own = new LogCapture();
        var capture = abandonedBy ?? own;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders().AddProvider(capture);
        await using var app = builder.Build();
        app.UseWireErrors();
        app.Run(context =>
        {
            context.Response.Headers.ETag = "\"before the fault\"";
            return route(context);
        });
        var pipeline = ((IApplicationBuilder)app).Build();
        var body = new MemoryStream();
        var context = new DefaultHttpContext { RequestServices = app.Services, RequestAborted = new CancellationToken(abandonedBy is not null) };
        context.Request.Method = "GET";
        context.Request.Path = Path;
        context.Response.Body = body;

        await pipeline(context);

        return new Answer(context, body.Length == 0 ? default : JsonDocument.Parse(body.ToArray()).RootElement.Clone(), [.. capture.Lines]);
    }

    private sealed record Answer(HttpContext Context, JsonElement Body, IReadOnlyList<string> Log)
    {
        public void Is(int status, int code, string message, bool cleared = true)
        {
            Assert.Equal(status, Context.Response.StatusCode);
            Assert.Equal("application/json; charset=utf-8", Context.Response.ContentType);
            Assert.Equal(code, Body.GetProperty("code").GetInt32());
            Assert.Equal(message, Body.GetProperty("message").GetString());
            Assert.Equal(code, WireResults.CodeOf(Context));
            Assert.Equal(cleared, string.IsNullOrEmpty(Context.Response.Headers.ETag));
            // Cleared or not, the answer keeps the headers every answer carries.
            Assert.Equal("nosniff", Context.Response.Headers.XContentTypeOptions.ToString());
        }
    }
}