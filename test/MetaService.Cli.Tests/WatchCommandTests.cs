using System.Text.Json.Nodes;

namespace MetaService.Cli.Tests;

/// <summary><c>yrmeta watch</c>: prints each change after a revision, one JSON object a line with <c>-o json</c>, a table
/// line otherwise; a stream that breaks is connected again and resumed from the last revision received, so every change is
/// printed once.</summary>
public sealed class WatchCommandTests : ServerTest
{
    [Fact]
    public async Task Watch_Since_PrintsEachChangeOnce_AsJsonLines()
    {
        var yrmeta = new Yrcmd(Server);
        var name = Spec.Name();
        var since = await RevisionAsync();
        foreach (var cpu in new[] { 600, 700, 800 })
        {
            Assert.Equal(0, (await yrmeta.RunAsync("function", "deploy", "-f", Specs.Write($"{cpu}.json", Spec.Json(name, cpu)))).ExitCode);
        }

        var run = await yrmeta.RunAsync("watch", "--since", since, "--count", "3", "-o", "json");

        Assert.Equal(0, run.ExitCode);
        var lines = Lines(run.Out);
        Assert.Equal([600, 700, 800], lines.Select(l => (int)l["data"]!["cpu"]!));
        Assert.All(lines, l => Assert.Equal(("put", name), ((string?)l["type"], (string?)l["data"]!["name"])));
        Assert.Equal(lines.Select(l => (long)l["revision"]!).Order(), lines.Select(l => (long)l["revision"]!));
    }

    [Fact]
    public async Task Watch_AfterItsStreamBreaks_ReconnectsWithLastEventId_AndPrintsEveryChangeOnce()
    {
        var yrmeta = new Yrcmd(Server);
        var cut = new CutFirstWatch(Server.Server.CreateHandler());
        var name = Spec.Name();
        var since = await RevisionAsync();
        foreach (var cpu in new[] { 600, 700, 800 })
        {
            Assert.Equal(0, (await yrmeta.RunAsync("function", "deploy", "-f", Specs.Write($"{cpu}.json", Spec.Json(name, cpu)))).ExitCode);
        }

        var run = await new Yrcmd(_ => cut).RunAsync("watch", "--since", since, "--count", "3", "-o", "json");

        Assert.Equal(0, run.ExitCode);
        var lines = Lines(run.Out);
        Assert.Equal([600, 700, 800], lines.Select(l => (int)l["data"]!["cpu"]!));
        Assert.Equal([since, ((long)lines[0]["revision"]!).ToString(System.Globalization.CultureInfo.InvariantCulture)], cut.Resumed);
    }

    [Fact]
    public async Task Watch_PrintsATableLine_PerChange()
    {
        var yrmeta = new Yrcmd(Server);
        var name = Spec.Name();
        var since = await RevisionAsync();
        await yrmeta.RunAsync("function", "deploy", "-f", Specs.Write("a.json", Spec.Json(name)));

        var run = await yrmeta.RunAsync("watch", "--kind", "functions", "--name", name, "--since", since, "--count", "1");

        Assert.Equal(0, run.ExitCode);
        Assert.Matches($@"^\d+\s+put\s+{name} \$?latest revisionId \d+\s*$", run.Out);
    }

    [Fact]
    public async Task Watch_KindAliases_PrintsEachAliasChange()
    {
        var yrmeta = new Yrcmd(Server);
        var name = Spec.Name();
        Assert.Equal(0, (await yrmeta.RunAsync("function", "deploy", "-f", Specs.Write("a.json", Spec.Json(name)))).ExitCode);
        Assert.Equal(0, (await yrmeta.RunAsync("function", "publish", name, "--version-number", "v1")).ExitCode);
        var since = await RevisionAsync();
        Assert.Equal(0, (await yrmeta.RunAsync("alias", "create", name, "prod", "--function-version", "v1")).ExitCode);
        Assert.Equal(0, (await yrmeta.RunAsync("alias", "delete", name, "prod")).ExitCode);

        var run = await yrmeta.RunAsync("watch", "--kind", "aliases", "--name", name, "--since", since, "--count", "2");

        Assert.True(run.ExitCode == 0, run.Error);
        var escaped = System.Text.RegularExpressions.Regex.Escape(name);
        Assert.Matches($@"^\d+\s+put\s+alias sn:\S+:function:{escaped}:prod functionVersion v1 revisionId \d+\s*\n\d+\s+delete\s+alias {escaped}:prod\s*$", run.Out);
    }

    [Fact]
    public async Task Watch_WithAMalformedSince_IsRefusedByTheServer()
    {
        var yrmeta = new Yrcmd(Server);

        var run = await yrmeta.RunAsync("watch", "--since", "99999999999", "--count", "1");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("4104", run.Error, StringComparison.Ordinal);
    }

    private async Task<string> RevisionAsync()
    {
        using var http = Server.CreateClient();
        using var list = await http.GetAsync(new Uri("/serverless/v1/functions", UriKind.Relative), TestContext.Current.CancellationToken);
        return list.Headers.GetValues("X-Meta-Revision").Single();
    }

    private static List<JsonNode> Lines(string output) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => JsonNode.Parse(l)!)];
}

/// <summary>Passes requests to the server; the first watch stream is broken (an <see cref="IOException"/>) right after its
/// first complete event with an id, as a dropped connection would. Keeps the <c>Last-Event-ID</c> of every watch request.</summary>
internal sealed class CutFirstWatch(HttpMessageHandler server) : DelegatingHandler(server)
{
    private int _watches;

    public List<string> Resumed { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var watch = request.RequestUri!.AbsolutePath.EndsWith("/watch", StringComparison.Ordinal);
        if (watch)
        {
            Resumed.Add(request.Headers.TryGetValues("Last-Event-ID", out var values) ? values.Single() : "");
        }

        var response = await base.SendAsync(request, cancellationToken);
        if (watch && Interlocked.Increment(ref _watches) == 1)
        {
            var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var headers = response.Content.Headers.ToList();
            response.Content = new StreamContent(new BreakAfterFirstEvent(body));
            foreach (var (key, value) in headers)
            {
                response.Content.Headers.TryAddWithoutValidation(key, value);
            }
        }

        return response;
    }

    /// <summary>Gives the stream a byte at a time; after the blank line that ends the first event with an <c>id:</c>, throws.</summary>
    private sealed class BreakAfterFirstEvent(Stream inner) : Stream
    {
        private readonly List<byte> _line = [];
        private bool _idSeen;
        private bool _broken;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_broken)
            {
                throw new IOException("the connection was cut (by the test)");
            }

            var read = await inner.ReadAsync(buffer[..1], cancellationToken);
            if (read == 1 && buffer.Span[0] == (byte)'\n')
            {
                if (_line.Count == 0 && _idSeen)
                {
                    _broken = true;
                }

                _idSeen |= _line.Count > 3 && _line[0] == 'i' && _line[1] == 'd' && _line[2] == ':';
                _line.Clear();
            }
            else if (read == 1)
            {
                _line.Add(buffer.Span[0]);
            }

            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}