using System.Text;
using System.Text.Json;

namespace MetaService.Tests.Fixtures;

/// <summary>
/// Records as openYuanrong's meta_service stores them (<c>test/Fixtures/OriginalRecords/*.json</c>: the key and the
/// value Go's encoder writes for it), built from its struct definitions, from the request of its documentation's
/// etcd example and from the records of its own Go tests.
/// </summary>
public static class OriginalRecords
{
    public const string FaasDraft = "faas-draft";
    public const string FaasPublished = "faas-published";
    public const string YrlibDraftUpdated = "yrlib-draft-updated";
    public const string GoTestSparse = "go-test-sparse";
    public const string S3Managed = "s3-managed";

    public static IReadOnlyList<string> Names { get; } = [FaasDraft, FaasPublished, YrlibDraftUpdated, GoTestSparse, S3Managed];

    /// <summary>The key and the value bytes of one fixture.</summary>
    public static (string Key, byte[] Value) Load(string name)
    {
        using var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "OriginalRecords", name + ".json")));
        var root = file.RootElement;
        return (root.GetProperty("key").GetString()!, Encoding.UTF8.GetBytes(root.GetProperty("value").GetRawText()));
    }
}