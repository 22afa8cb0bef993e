using System.Net;
using System.Text;

namespace MetaService.Load;

/// <summary>The few calls the suites make outside the load loops.</summary>
public static class Api
{
    public const string Functions = "/serverless/v1/functions";

    /// <summary>Creates <paramref name="name"/> and returns its revisionId.</summary>
    public static async Task<string> CreateAsync(HttpClient client, string name)
    {
        using var response = await client.PostAsync(new Uri(Functions, UriKind.Relative), new StringContent(Samples.CreateBody(name), Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsByteArrayAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new HttpRequestException($"create {name} answered {(int)response.StatusCode}: {Encoding.UTF8.GetString(body)}", null, response.StatusCode);
        }

        return Generator.RevisionId(body);
    }

    /// <summary>Creates <paramref name="count"/> functions named <paramref name="prefix"/> + index; each with its revisionId.</summary>
    public static async Task<List<(string Name, string RevisionId)>> CreateManyAsync(HttpClient client, string prefix, int count)
    {
        var functions = new List<(string, string)>(count);
        for (var c = 0; c < count; c++)
        {
            functions.Add(($"{prefix}{c}", await CreateAsync(client, $"{prefix}{c}")));
        }

        return functions;
    }

    /// <summary>The functions' current revisionIds (after a load that left them unknown).</summary>
    public static async Task<(string Name, string RevisionId)[]> CurrentAsync(HttpClient client, IEnumerable<(string Name, string RevisionId)> functions) =>
        await Task.WhenAll(functions.Select(async f => (f.Name, Generator.RevisionId(await GetBytesAsync(client, $"{Functions}/{f.Name}")))));

    public static async Task<byte[]> GetBytesAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync();
    }
}