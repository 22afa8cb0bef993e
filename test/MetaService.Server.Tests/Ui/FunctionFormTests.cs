using MetaService.Core;
using MetaService.Core.Records;
using MetaService.Server.Ui.Editing;

using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace MetaService.Server.Tests.Ui;

/// <summary>The create and edit form as the browser posts it, without a server: what is read of it, the API request it
/// says on create and over a draft, kept environment values, hooks, numbers that are not numbers, re-applying one's own
/// changes over a draft saved since, and each refusal's part shown on the field it names.</summary>
public sealed class FunctionFormTests
{
    [Fact]
    public void Read_TrimsTheFields_AndKeepsTheEnvironmentRowsThatHaveAName()
    {
        var form = FunctionForm.Read(Form(
            ("handler", [" h.main "]), ("unknown", ["x"]),
            ("env.name", [" A ", "", "B", "C"]), ("env.value", ["1", "ignored", "", ""]), ("env.keep", ["0", "1", "1", "0"])));

        Assert.Equal("h.main", form["handler"]);
        Assert.Equal("", form["unknown"]);
        Assert.Equal([new EnvRow("A", "1", false), new EnvRow("B", "", true), new EnvRow("C", "", false)], form.Environment);
    }

    [Fact]
    public void Read_TakesAtMost200EnvironmentRows_AndARowWithoutAValueOrKeepFlag()
    {
        var names = Enumerable.Range(0, 250).Select(i => "V" + i).ToArray();
        var many = FunctionForm.Read(Form(("env.name", names)));
        var few = FunctionForm.Read(Form(("env.name", ["A", "B"]), ("env.value", ["1"])));

        Assert.Equal(FunctionForm.MaxRows, many.Environment.Count);
        Assert.Equal([new EnvRow("A", "1", false), new EnvRow("B", "", false)], few.Environment);
    }

    [Fact]
    public void OnCreate_TheRequestIsTheFormsFieldsAlone()
    {
        var form = FunctionForm.Read(Form(
            ("name", ["0@svc@f"]), ("kind", ["faas"]), ("runtime", ["python3.9"]), ("handler", ["h.main"]), ("description", ["d"]),
            ("storageType", ["s3"]), ("codePath", ["/c"]), ("bucketId", ["b"]), ("objectId", ["o"]), ("cpu", ["+500"]), ("memory", ["-1"]),
            ("timeout", [""]), ("minInstance", ["0"]), ("maxInstance", ["9"]), ("concurrentNum", ["2"]),
            ("initializer", ["h.init"]), ("initializerTimeout", ["30"]), ("preStop", ["h.stop"]), ("preStopTimeout", [""]),
            ("env.name", ["A"]), ("env.value", ["1"])));

        Assert.True(form.ToRequest(null).TryGet(out var request, out _));

        Assert.Equal(("0@svc@f", "faas", "python3.9", "h.main", "d", "s3", "/c"), (request.Name, request.Kind, request.Runtime, request.Handler, request.Description, request.StorageType, request.CodePath));
        Assert.Equal(("b", "o"), (request.S3CodePath!.BucketId, request.S3CodePath.ObjectId));
        Assert.Equal((500L, -1L, (long?)null), (request.Cpu, request.Memory, request.Timeout));
        Assert.Equal(("0", "9", "2"), (request.MinInstance, request.MaxInstance, request.ConcurrentNum));
        Assert.True(FunctionForm.Read(Form(("maxInstance", [" "]))).ToRequest(null).TryGet(out var blank, out _));
        Assert.Null(blank.MaxInstance);
        Assert.Equal(new Dictionary<string, string> { ["A"] = "1" }, request.Environment);
        Assert.Equal(new Dictionary<string, string> { ["initializer"] = "h.init", ["pre_stop"] = "h.stop" }, request.ExtendedHandler);
        Assert.Equal(new Dictionary<string, long> { ["initializer"] = 30 }, request.ExtendedTimeout);
    }

    [Fact]
    public void OnCreate_WithoutHooks_TheRequestHasNone()
    {
        Assert.True(FunctionForm.Read(Form(("name", ["0@svc@f"]))).ToRequest(null).TryGet(out var request, out _));

        Assert.Null(request.ExtendedHandler);
        Assert.Null(request.ExtendedTimeout);
    }

    [Theory]
    [InlineData("cpu", "1.5")]
    [InlineData("memory", "lots")]
    [InlineData("timeout", "1e3")]
    [InlineData("initializerTimeout", "30s")]
    [InlineData("preStopTimeout", " - ")]
    public void ANumberThatIsNotOne_IsRefusedNamingItsField(string field, string text)
    {
        Assert.False(FunctionForm.Read(Form((field, [text]))).ToRequest(null).TryGet(out _, out var error));

        Assert.Equal($"{field} '{text.Trim()}' is not a whole number. check input parameters", error.Message);
    }

    [Fact]
    public void OverADraft_TheRequestKeepsWhatTheFormDoesNotShow_AndTheValuesItKeeps()
    {
        var draft = Record() with
        {
            Environment = new() { ["A"] = "stored-a", ["B"] = "stored-b" },
            ExtendedHandler = new() { ["initializer"] = "old.init", ["pre_stop"] = "old.stop" },
            ExtendedTimeout = new() { ["initializer"] = 10, ["pre_stop"] = 20 },
        };
        var form = FunctionForm.Read(Form(
            ("handler", ["h.new"]), ("initializer", ["new.init"]), ("initializerTimeout", [""]), ("preStop", [""]), ("preStopTimeout", ["5"]),
            ("env.name", ["A", "B", "Z"]), ("env.value", ["", "typed", ""]), ("env.keep", ["1", "1", "1"])));

        Assert.True(form.ToRequest(draft).TryGet(out var request, out _));

        Assert.Equal("h.new", request.Handler);
        Assert.Equal("0@svc@f", request.Name);
        Assert.Equal(new Dictionary<string, string> { ["A"] = "stored-a", ["B"] = "typed", ["Z"] = "" }, request.Environment);
        Assert.Equal(new Dictionary<string, string> { ["initializer"] = "new.init" }, request.ExtendedHandler);
        Assert.Equal([], request.ExtendedTimeout!);
    }

    [Fact]
    public void TheFormOfARecord_HidesItsEnvironmentValues_UnlessRevealed()
    {
        var record = Record() with
        {
            Environment = new() { ["B"] = "2", ["A"] = "1" },
            ExtendedHandler = new() { ["initializer"] = "h.init" },
            ExtendedTimeout = new() { ["initializer"] = 0, ["pre_stop"] = 7 },
        };

        var hidden = FunctionForm.From(record, reveal: false);
        var shown = FunctionForm.From(record, reveal: true);

        Assert.Equal([new EnvRow("A", "", true), new EnvRow("B", "", true)], hidden.Environment);
        Assert.Equal([new EnvRow("A", "1", false), new EnvRow("B", "2", false)], shown.Environment);
        Assert.Equal(("h.init", "", "", "7", "500", "0@svc@f", "b1"), (shown["initializer"], shown["initializerTimeout"], shown["preStop"], shown["preStopTimeout"], shown["cpu"], shown["name"], shown["bucketId"]));
        Assert.Equal("", shown["objectId"]);
    }

    [Fact]
    public void TheFormOfARecord_ShowsEachOfItsFields()
    {
        var record = Record() with
        {
            Handler = "h.main",
            Description = "d",
            StorageType = "s3",
            CodePath = "/code",
            S3CodePath = new S3CodePath { BucketId = "b1", ObjectId = "o1" },
            Memory = 256,
            Timeout = 30,
            MinInstance = 1,
            MaxInstance = 9,
            ConcurrentNum = 4,
            ExtendedHandler = new() { ["initializer"] = "h.init", ["pre_stop"] = "h.stop" },
            ExtendedTimeout = new() { ["initializer"] = 5, ["pre_stop"] = 7 },
        };

        var form = FunctionForm.From(record, reveal: false);

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["name"] = "0@svc@f",
                ["kind"] = "faas",
                ["runtime"] = "python3.9",
                ["handler"] = "h.main",
                ["description"] = "d",
                ["storageType"] = "s3",
                ["codePath"] = "/code",
                ["bucketId"] = "b1",
                ["objectId"] = "o1",
                ["cpu"] = "500",
                ["memory"] = "256",
                ["timeout"] = "30",
                ["minInstance"] = "1",
                ["maxInstance"] = "9",
                ["concurrentNum"] = "4",
                ["initializer"] = "h.init",
                ["initializerTimeout"] = "5",
                ["preStop"] = "h.stop",
                ["preStopTimeout"] = "7",
            },
            form.Values);
        Assert.Equal(FunctionForm.Fields.Select(f => f.Id).Order(StringComparer.Ordinal), form.Values.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Reapplied_KeepsWhatTheUserChanged_AndTakesTheRestFromTheDraftSavedSince()
    {
        var baseline = Record() with { Memory = 128, Cpu = 500, Environment = new() { ["A"] = "1", ["B"] = "2", ["D"] = "4" } };
        var current = Record() with { Memory = 128, Cpu = 600, Environment = new() { ["A"] = "1", ["B"] = "3", ["C"] = "9", ["D"] = "4" } };
        var mine = FunctionForm.From(baseline, reveal: false) is var loaded
            ? new FunctionForm(new Dictionary<string, string>(loaded.Values) { ["memory"] = "256" }, [new EnvRow("A", "changed", false), new EnvRow("B", "", true)])
            : null!;

        var form = mine.Reapplied(baseline, current);

        Assert.Equal(("256", "600"), (form["memory"], form["cpu"]));
        Assert.Equal([new EnvRow("A", "changed", false), new EnvRow("B", "", true), new EnvRow("C", "", true)], form.Environment);
    }

    [Fact]
    public void EachPartOfARefusal_IsShownOnTheFieldItNames()
    {
        var problem = FormProblem.Of(MetaError.InvalidParam("the preStop timeout must be 0 to 300; memory is too large; maxInstance is below minInstance; something else"));

        Assert.Equal(4104, problem.Code);
        Assert.Equal(400, problem.Status);
        Assert.Equal("the preStop timeout must be 0 to 300", problem.ByField["preStopTimeout"]);
        Assert.Equal("memory is too large", problem.ByField["memory"]);
        Assert.Equal("maxInstance is below minInstance", problem.ByField["minInstance"]);
        Assert.Equal(3, problem.ByField.Count);
        Assert.Equal("problem-memory", problem.DescribedBy("memory"));
        Assert.Null(problem.DescribedBy("cpu"));
    }

    [Theory]
    [InlineData("name is too long", "name")]
    [InlineData("the function name is taken", "name")]
    [InlineData("the format is 0@svc@f", "name")]
    [InlineData("pre_stop handler is empty", "preStop")]
    [InlineData("initializerTimeout is too large", "initializerTimeout")]
    [InlineData("the environment is too large", "env")]
    [InlineData("the bucket is unknown", "bucketId")]
    [InlineData("the Runtime is unknown", "runtime")]
    [InlineData("timeout must be 1 to 900", "timeout")]
    [InlineData("concurrentNum must be 1 to 1000", "concurrentNum")]
    public void APart_IsTheMostSpecificFieldItNames(string part, string field) =>
        Assert.Equal(field, Assert.Single(FormProblem.Of(new MetaError(4104, part, ErrorKind.Invalid)).ByField).Key);

    [Fact]
    public void APartOnItsField_IsWithoutTheAnswersClosingCheckInputParameters() =>
        Assert.Equal("memory is 0", FormProblem.Of(new MetaError(4104, "memory is 0" + MetaError.CheckInput, ErrorKind.Conflict)).ByField["memory"]);

    [Fact]
    public void TwoPartsOfOneField_AreJoined() =>
        Assert.Equal("memory is 0; memory is odd", FormProblem.Of(new MetaError(4104, "memory is 0; memory is odd", ErrorKind.Conflict)).ByField["memory"]);

    /// <summary>A faas draft with the fields every record has (shared with the functions page's row tests).</summary>
    internal static FunctionRecord Record() => new()
    {
        TenantId = "default",
        Name = "0@svc@f",
        Version = "latest",
        Runtime = "python3.9",
        RevisionId = "1",
        CreateTime = "t",
        PublishTime = "t",
        Kind = "faas",
        Cpu = 500,
        S3CodePath = new S3CodePath { BucketId = "b1" },
    };

    private static FormCollection Form(params (string Name, string[] Values)[] fields) =>
        new(fields.ToDictionary(f => f.Name, f => new StringValues(f.Values)));

}