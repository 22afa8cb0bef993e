using System.Text.Json.Nodes;

using MetaService.Core.Functions;
using MetaService.Core.History;
using MetaService.Core.Records;

using Xunit;

namespace MetaService.Core.Tests.History;

/// <summary>The field-level changes history keeps and diff answers: members compared one by one, arrays as a whole,
/// secrets never with their values.</summary>
public sealed class RecordChangesTests
{
    private static readonly FunctionRecord Base = FunctionRules.BuildDraft(new FunctionRequest
    {
        Name = "0-svc-changes",
        Runtime = "python3.9",
        Handler = "h.handler",
        Cpu = 300,
        Memory = 128,
        Environment = new() { ["A"] = "1", ["B"] = "2" },
        ExtendedHandler = new() { ["initializer"] = "h.init" },
    }, Tenant.Default, new MetaOptions(), TimeProvider.System).Value! with
    { Layers = [new LayerRef("l1", 1, 1)] };

    [Fact]
    public void EqualRecords_HaveNoChanges()
    {
        Assert.Empty(RecordChanges.Between(Base, Base with { }));
    }

    [Fact]
    public void ChangedValues_AreReplaced_WithTheirPaths_InTheRecordsOrder()
    {
        var after = Base with { Cpu = 500, Handler = "h.other" };

        var changes = RecordChanges.Between(Base, after);

        Assert.Equal(
            [("handler", "replace", "\"h.handler\"", "\"h.other\""), ("cpu", "replace", "300", "500")],
            changes.Select(Shape).OrderBy(c => c.Item1 == "cpu"));
    }

    [Fact]
    public void MembersAddedAndRemoved_BelowAnObject_NameTheMember()
    {
        var after = Base with { ExtendedHandler = new() { ["pre_stop"] = "h.stop" } };

        var changes = RecordChanges.Between(Base, after);

        Assert.Equal([("extendedHandler.initializer", "remove", "\"h.init\"", null), ("extendedHandler.pre_stop", "add", null, "\"h.stop\"")], changes.Select(Shape));
    }

    [Fact]
    public void Arrays_AreComparedWhole()
    {
        var after = Base with { Layers = [new LayerRef("l1", 2, 1)] };

        var change = Assert.Single(RecordChanges.Between(Base, after));

        Assert.Equal("layers", change.Path);
        Assert.Equal(RecordChanges.Replace, change.Op);
        Assert.Equal(2, (int)change.To!.AsArray()[0]!["version"]!);
    }

    [Fact]
    public void SecretValues_ShowOnlyThatTheyChanged()
    {
        var after = Base with { Environment = new() { ["A"] = "secret-value", ["C"] = "new-secret" }, S3CodePath = Base.S3CodePath with { Token = "s3-token" } };

        var changes = RecordChanges.Between(Base, after);

        Assert.Equal(
            [("environment.A", "replace", "\"changed\"", "\"changed\""), ("environment.B", "remove", "\"changed\"", null), ("environment.C", "add", null, "\"changed\""), ("s3CodePath.token", "replace", "\"\"", "\"changed\"")],
            changes.Select(Shape).OrderBy(c => c.Item1, StringComparer.Ordinal));
        Assert.DoesNotContain(changes, c => $"{c.From?.ToJsonString()}{c.To?.ToJsonString()}".Contains("secret", StringComparison.Ordinal) || $"{c.To?.ToJsonString()}".Contains("s3-token", StringComparison.Ordinal));
    }

    [Fact]
    public void ACreate_AddsEveryMember_AndADelete_RemovesThem()
    {
        var created = RecordChanges.Between(null, Base);
        var deleted = RecordChanges.Between(Base, null);

        Assert.All(created, c => Assert.Equal(RecordChanges.Add, c.Op));
        Assert.All(deleted, c => Assert.Equal(RecordChanges.Remove, c.Op));
        Assert.Equal(created.Select(c => c.Path), deleted.Select(c => c.Path));
        Assert.Contains(created, c => c.Path == "name");
    }

    [Fact]
    public void ObjectsOtherThanRecords_AreComparedBelowTheirRoot()
    {
        var before = new JsonObject { ["functionVersion"] = "1", ["routingConfig"] = new JsonObject { ["1"] = 100 } };
        var after = new JsonObject { ["functionVersion"] = "1", ["routingConfig"] = new JsonObject { ["1"] = 80, ["2"] = 20 } };

        var changes = RecordChanges.Between(before, after, "aliases.prod");

        Assert.Equal([("aliases.prod.routingConfig.1", "replace", "100", "80"), ("aliases.prod.routingConfig.2", "add", null, "20")], changes.Select(Shape));
    }

    [Fact]
    public void MembersInAnotherOrder_AreMatchedByName()
    {
        var before = new JsonObject { ["a"] = 1, ["b"] = new JsonObject { ["x"] = 1 }, ["c"] = 3, ["gone"] = true };
        var after = new JsonObject { ["a"] = 2, ["c"] = 4, ["b"] = new JsonObject { ["x"] = 1 }, ["d"] = 5 };

        var changes = RecordChanges.Between(before, after, "root");

        Assert.Equal([("root.a", "replace", "1", "2"), ("root.c", "replace", "3", "4"), ("root.gone", "remove", "true", null), ("root.d", "add", null, "5")], changes.Select(Shape));
    }

    [Fact]
    public void EqualValuesWrittenDifferently_AreNotChanges()
    {
        var changes = RecordChanges.Between("{\"a\":1.0,\"b\":\"\\u0041\"}"u8.ToArray(), "{\"a\":1.0,\"b\":\"A\"}"u8.ToArray(), []);

        Assert.Empty(changes);
    }

    [Fact]
    public void AMemberAddedAfterTheLast_IsAdded_WhateverItsName()
    {
        var before = new JsonObject { ["a"] = 1 };
        var after = new JsonObject { ["a"] = 1, ["}"] = 2 };

        var changes = RecordChanges.Between(before, after, "r");

        Assert.Equal([("r.}", "add", null, "2")], changes.Select(Shape));
    }

    private static (string, string, string?, string?) Shape(HistoryChange change) =>
        (change.Path, change.Op, change.From?.ToJsonString(), change.To?.ToJsonString());
}