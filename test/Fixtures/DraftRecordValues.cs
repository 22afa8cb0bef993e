using System.Text.Json;

using MetaService.Core;
using MetaService.Core.Records;

namespace MetaService.Tests.Fixtures;

/// <summary>A faas draft of the default tenant under a name of the test's, in openYuanrong's format and in the JSON an
/// earlier MetaService stored (its own <c>FunctionRecord</c>): what the tests of rewriting earlier records put.</summary>
public static class DraftRecordValues
{
    public static string Key(string name) => $"/repo/FunctionVersion/yrk/default//0-svc-{name}/$latest/";

    public static byte[] Original(string name)
    {
        var (_, value) = OriginalRecords.Load(OriginalRecords.FaasDraft);
        return RecordFormat.Encode(RecordFormat.Decode(Key(name), value));
    }

    public static byte[] Own(string name) =>
        JsonSerializer.SerializeToUtf8Bytes(RecordFormat.Decode(Key(name), Original(name)), MetaJson.Default.FunctionRecord);
}