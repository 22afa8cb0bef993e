using System.Text.RegularExpressions;

namespace MetaService.Load;

/// <summary>Issue 21: U1, the server's time to render the web console's functions page (<c>/ui</c>, its first page of
/// 50) at the largest of --sizes functions, p99, beside a list of the same 50 through the API on the same server (with
/// <c>limit</c>, the same read; and with the original's <c>pageSize</c>, which counts every match); U2, the
/// console's first load in bytes transferred (the page, its stylesheet and its script, asked with
/// <c>Accept-Encoding: gzip, br</c>), compressed as the server sends them. Authentication off, one client, loopback.</summary>
internal static partial class ConsoleSuite
{
    private const string Page = "/ui";
    /// <summary>The API's list of the same 50 functions read the same way (<c>limit</c>: key order from the catalog's name
    /// index, as the page reads them).</summary>
    private const string Baseline = "/serverless/v1/functions?limit=50";

    /// <summary>The original's paging (<c>pageSize</c>), which also counts every match for its <c>total</c>.</summary>
    private const string Counted = "/serverless/v1/functions?pageSize=50";

    public static async Task<Table> RunAsync(Settings settings)
    {
        var size = settings.Sizes.Max();
        var seeded = await Seeder.EnsureAsync(settings.Work, size, Console.Out);
        var pages = new List<double>();
        var lists = new List<double>();
        var counted = new List<double>();
        long firstLoad = 0;
        for (var run = 0; run < settings.Runs; run++)
        {
            using var server = await ServerProcess.StartMetaAsync(Seeder.Copy(seeded, Path.Combine(settings.Work, $"console-{run}")));
            using var client = server.Client();
            await Generator.SequentialAsync(client, Page, 100_000, settings.Warmup);
            await Generator.SequentialAsync(client, Baseline, 100_000, settings.Warmup);
            await Generator.SequentialAsync(client, Counted, 100_000, settings.Warmup);
            pages.Add(Generator.Percentile(Generator.Sorted(await Generator.SequentialAsync(client, Page, 100_000, settings.Duration)), 0.99));
            lists.Add(Generator.Percentile(Generator.Sorted(await Generator.SequentialAsync(client, Baseline, 100_000, settings.Duration)), 0.99));
            counted.Add(Generator.Percentile(Generator.Sorted(await Generator.SequentialAsync(client, Counted, 100_000, settings.Duration)), 0.99));
            firstLoad = await FirstLoadAsync(client);
            Console.WriteLine($"run {run + 1}: /ui p99 {pages[^1]:0.00} ms, GET {Baseline} p99 {lists[^1]:0.00} ms, GET {Counted} p99 {counted[^1]:0.00} ms; first load {firstLoad:N0} bytes");
        }

        var table = new Table($"U1 and U2, embedded store, {size:N0} functions, median of {settings.Runs} × {settings.Seconds} s");
        var p99 = Table.Median(pages);
        var baseline = Table.Median(lists);
        table.Add("U1", $"server time to render /ui (first 50 of {size:N0} functions), p99", Table.Ms(p99), Table.Ms(baseline) + $" GET {Baseline}", Table.Ratio(p99 / baseline), "≤ 50 ms", Table.Met(p99 <= 50));
        table.Add("U1′", "the same, beside the original's paging (counts every match for its total)", Table.Ms(p99), Table.Ms(Table.Median(counted)) + $" GET {Counted}", Table.Ratio(p99 / Table.Median(counted)), "—", "—");
        table.Add("U2", "first load of the console (page + css + js), bytes transferred, compressed", $"{firstLoad / 1024.0:0.0} KB", "—", "—", "≤ 600 KB", Table.Met(firstLoad <= 600 * 1024));
        return table;
    }

    /// <summary>The bytes a browser receives for the functions page and every asset it links, as sent (no decompression
    /// on this side).</summary>
    private static async Task<long> FirstLoadAsync(HttpClient client)
    {
        var page = await BodyAsync(client, Page);
        var total = page.LongLength;
        var html = System.Text.Encoding.UTF8.GetString(page);
        foreach (var asset in Assets().Matches(html).Select(m => m.Groups["url"].Value).Distinct(StringComparer.Ordinal))
        {
            total += (await BodyAsync(client, System.Net.WebUtility.HtmlDecode(asset))).LongLength;
        }

        return total;
    }

    private static async Task<byte[]> BodyAsync(HttpClient client, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip, br");
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync();
    }

    [GeneratedRegex("(?:href|src)=\"(?<url>/ui/assets/[^\"]+)\"")]
    private static partial Regex Assets();
}