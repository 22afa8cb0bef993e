using System.Text.Json.Nodes;

using MetaService.Core.Functions;
using MetaService.Tests.Fixtures;

using Xunit;

namespace MetaService.Core.Tests.Functions;

/// <summary>RFC 7396's merge of a patch into a document, which every function patch goes through.</summary>
public sealed class MergePatchTests
{
    [Theory]
    [InlineData("""{"a":"b"}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"b":"c"}""", """{"a":"b","b":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"a":null}""", """{}""")]
    [InlineData("""{"a":"b","b":"c"}""", """{"a":null}""", """{"b":"c"}""")]
    [InlineData("""{"a":["b"]}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"c"}""", """{"a":["b"]}""", """{"a":["b"]}""")]
    [InlineData("""{"a":{"b":"c"}}""", """{"a":{"b":"d","c":null}}""", """{"a":{"b":"d"}}""")]
    [InlineData("""{"a":{"b":"c","d":"e"}}""", """{"a":{"d":null,"f":"g"}}""", """{"a":{"b":"c","f":"g"}}""")]
    [InlineData("""{"a":[{"b":"c"}]}""", """{"a":[1]}""", """{"a":[1]}""")]
    [InlineData("""["a","b"]""", """["c","d"]""", """["c","d"]""")]
    [InlineData("""{"a":"b"}""", """["c"]""", """["c"]""")]
    [InlineData("""{"e":null}""", """{"a":1}""", """{"e":null,"a":1}""")]
    [InlineData("""[1,2]""", """{"a":"b","c":null}""", """{"a":"b"}""")]
    [InlineData("""{}""", """{"a":{"bb":{"ccc":null}}}""", """{"a":{"bb":{}}}""")]
    public void Merge_FollowsTheRfcsExamples(string target, string patch, string expected)
    {
        var merged = FunctionPatch.Merge(JsonNode.Parse(target), JsonNode.Parse(patch));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), merged), merged?.ToJsonString());
    }

    [Fact]
    public void APatchedBody_CarriesTheDraftsRevisionId_WhateverThePatchSays()
    {
        var draft = FunctionRules.BuildDraft(ServiceHarness.Yrlib(), Tenant.Default, new MetaOptions(), new SetClock()).Value!;

        var patched = FunctionPatch.Apply(draft, new JsonObject { ["revisionId"] = "other", ["handler"] = "h.x" }).Value;

        Assert.Equal((draft.RevisionId, "h.x", false), (patched.Request.RevisionId, patched.Request.Handler, patched.ClearDescription));
    }

    [Fact]
    public void Merge_OfANullPatch_IsNull()
    {
        Assert.Null(FunctionPatch.Merge(JsonNode.Parse("""{"a":1}"""), null));
    }

    [Fact]
    public void Merge_DoesNotShareThePatchsNodes()
    {
        var patch = new JsonObject { ["a"] = new JsonArray(1, 2) };

        var merged = FunctionPatch.Merge(new JsonObject(), patch)!;
        patch["a"]!.AsArray().Add(JsonValue.Create(3));

        Assert.Equal("""{"a":[1,2]}""", merged.ToJsonString());
    }
}