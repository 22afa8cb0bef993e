using MetaService.Core.Functions;
using MetaService.Core.Records;

using Xunit;

namespace MetaService.Core.Tests.Functions;

/// <summary>The checks create and update share: each broken rule named in the one 4104 message, at its bounds, and a
/// request inside every bound accepted.</summary>
public sealed class RuleChecksTests
{
    private static readonly MetaOptions Options = new();

    private static FunctionRequest Valid() => ServiceHarness.Yrlib();

    private static string? Refusal(FunctionRequest request, MetaOptions? options = null) =>
        FunctionRules.BuildDraft(request, Tenant.Default, options ?? Options, TimeProvider.System).Error?.Message;

    private static string? MergeRefusal(FunctionRequest request, FunctionRecord? draft = null) =>
        FunctionRules.Merge(draft ?? FunctionRules.BuildDraft(Valid(), Tenant.Default, Options, TimeProvider.System).Value!, request, Options, TimeProvider.System).Error?.Message;

    [Theory]
    [InlineData(null, "name: non zero value required")]
    [InlineData("", "name: non zero value required")]
    [InlineData("0-svc-", FunctionNames.NameFormatMessage)]
    public void AMissingOrMalformedName_IsRefused(string? name, string expected)
    {
        Assert.Equal(expected + MetaError.CheckInput, Refusal(Valid() with { Name = name }));
    }

    [Theory]
    [InlineData(null, "runtime: non zero value required")]
    [InlineData("", "runtime: non zero value required")]
    [InlineData("python2", "runtime python2 is not valid")]
    [InlineData("Python3.9", "runtime Python3.9 is not valid")]
    public void AMissingOrUnknownRuntime_IsRefused(string? runtime, string expected)
    {
        Assert.Equal(expected + MetaError.CheckInput, Refusal(Valid() with { Runtime = runtime }));
    }

    [Theory]
    [InlineData(300, 128, null)]
    [InlineData(16_000, 1_073_741_824, null)]
    [InlineData(299, 128, "CPU not in range [300, 16000]")]
    [InlineData(16_001, 128, "CPU not in range [300, 16000]")]
    [InlineData(300, 127, "memory not in range [128, 1073741824]")]
    [InlineData(300, 1_073_741_825, "memory not in range [128, 1073741824]")]
    public void CpuAndMemory_AreCheckedAtTheirBounds(long cpu, long memory, string? expected)
    {
        Assert.Equal(expected is null ? null : expected + MetaError.CheckInput, Refusal(Valid() with { Cpu = cpu, Memory = memory }));
    }

    [Fact]
    public void ADevice_SkipsTheResourceRanges()
    {
        Assert.Null(Refusal(Valid() with { Cpu = 1, Memory = 1, Device = new FunctionDevice { Count = 1 } }));
        Assert.NotNull(Refusal(Valid() with { Cpu = 1, Memory = 1, Device = new FunctionDevice(), PoolType = "other" }));
    }

    [Theory]
    [InlineData(64, null)]
    [InlineData(65, "handler must be at most 64 characters")]
    public void TheHandler_IsAtMost64Characters_CountedAsRunes(int length, string? expected)
    {
        var handler = string.Concat(Enumerable.Repeat("😀", length));
        Assert.Equal(expected is null ? null : expected + MetaError.CheckInput, Refusal(Valid() with { Handler = handler }));
    }

    [Theory]
    [InlineData(1024, null)]
    [InlineData(1025, "description must be at most 1024 characters")]
    public void TheDescription_IsAtMost1024Characters_CountedAsRunes(int length, string? expected)
    {
        var description = string.Concat(Enumerable.Repeat("é", length));
        Assert.Equal(expected is null ? null : expected + MetaError.CheckInput, Refusal(Valid() with { Description = description }));
    }

    [Theory]
    [InlineData("p", true)]
    [InlineData("pool-1", true)]
    [InlineData("0123456789012345678901234567890123456789", true)]
    [InlineData("01234567890123456789012345678901234567890", false)]
    [InlineData("-pool", false)]
    [InlineData("pool-", false)]
    [InlineData("Pool", false)]
    [InlineData("pool\n", false)]
    public void APoolId_IsLowercaseLettersDigitsAndHyphens(string poolId, bool valid)
    {
        var refusal = Refusal(Valid() with { PoolId = poolId });

        Assert.Equal(valid ? null : $"poolId {poolId} is invalid: 1 to 40 lowercase letters, digits or hyphens, starting and ending with a letter or digit" + MetaError.CheckInput, refusal);
    }

    [Fact]
    public void Layers_AreRefused_AsMissingOrPastTheLimit()
    {
        Assert.Equal("layer l1 does not exist" + MetaError.CheckInput, Refusal(Valid() with { Layers = ["l1"] }));
        Assert.Equal("a function may have at most 1 layers" + MetaError.CheckInput, Refusal(Valid() with { Layers = ["l1", "l2"] }));
        Assert.Null(Refusal(Valid() with { Layers = [] }));
        Assert.Equal("layers[1] is null: remove it or give a value" + MetaError.CheckInput, Refusal(Valid() with { Layers = ["l1", null!] }));
    }

    [Theory]
    [InlineData("0", "0", "1", null)]
    [InlineData("5", "5", "1000", null)]
    [InlineData("+2", "1000", "1", null)]
    [InlineData("-1", "3", "1", "minInstance -1 must not be negative")]
    [InlineData("4", "3", "1", "minInstance 4 is greater than maxInstance 3")]
    [InlineData("0", "1001", "1", "maxInstance 1001 is greater than the upper limit 1000")]
    [InlineData("0", "3", "0", "concurrentNum 0 is not in range [1, 1000]")]
    [InlineData("0", "3", "1001", "concurrentNum 1001 is not in range [1, 1000]")]
    [InlineData("1.5", "3", "1", "minInstance '1.5' is not an integer")]
    [InlineData("0", "x", "1", "maxInstance 'x' is not an integer")]
    [InlineData("0", "3", " 1", "concurrentNum ' 1' is not an integer")]
    public void InstanceCounts_AreIntegersWithinTheirBounds(string min, string max, string concurrent, string? expected)
    {
        var outcome = FunctionRules.BuildDraft(Valid() with { MinInstance = min, MaxInstance = max, ConcurrentNum = concurrent }, Tenant.Default, Options, TimeProvider.System);

        Assert.Equal(expected is null ? null : expected + MetaError.CheckInput, outcome.Error?.Message);
        if (expected is null)
        {
            Assert.Equal((int.Parse(min, System.Globalization.CultureInfo.InvariantCulture), int.Parse(max, System.Globalization.CultureInfo.InvariantCulture), int.Parse(concurrent, System.Globalization.CultureInfo.InvariantCulture)), (outcome.Value!.MinInstance, outcome.Value.MaxInstance, outcome.Value.ConcurrentNum));
        }
    }

    [Fact]
    public void ALongCountThatIsNoInteger_IsCutInItsMessage()
    {
        var refusal = Refusal(Valid() with { MaxInstance = new string('x', 65) });

        Assert.Equal($"maxInstance '{new string('x', 64)}…' is not an integer" + MetaError.CheckInput, refusal);
        Assert.Equal($"maxInstance '{new string('x', 64)}' is not an integer" + MetaError.CheckInput, Refusal(Valid() with { MaxInstance = new string('x', 64) }));
    }

    [Fact]
    public void TheConfiguredInstanceDefaults_FillWhatIsNotGiven()
    {
        var options = new MetaOptions { DefaultMinInstance = 2, DefaultMaxInstance = 9, DefaultConcurrentNum = 4 };

        var record = FunctionRules.BuildDraft(Valid() with { MinInstance = "", ConcurrentNum = null }, Tenant.Default, options, TimeProvider.System).Value!;

        Assert.Equal((2, 9, 4), (record.MinInstance, record.MaxInstance, record.ConcurrentNum));
    }

    [Theory]
    [InlineData(FunctionKinds.Faas, "h.stop", 0L, null)]
    [InlineData(FunctionKinds.Faas, "h.stop", 180L, null)]
    [InlineData(FunctionKinds.Faas, "h.stop", -1L, "preStop timeOut must between 0 and 180")]
    [InlineData(FunctionKinds.Faas, "h.stop", 181L, "preStop timeOut must between 0 and 180")]
    [InlineData(FunctionKinds.Faas, "", 181L, null)]
    [InlineData(FunctionKinds.Yrlib, "h.stop", 181L, null)]
    public void APreStopTimeout_IsCheckedForAFaasPreStopHandler(string kind, string handler, long timeout, string? expected)
    {
        var request = Valid() with { Kind = kind, Name = "0@svc@fn", ExtendedHandler = new() { ["pre_stop"] = handler }, ExtendedTimeout = new() { ["pre_stop"] = timeout } };

        Assert.Equal(expected is null ? null : expected + MetaError.CheckInput, Refusal(request));
    }

    [Fact]
    public void APreStopHandlerWithoutATimeout_IsAccepted()
    {
        Assert.Null(Refusal(Valid() with { Kind = FunctionKinds.Faas, Name = "0@svc@fn", ExtendedHandler = new() { ["pre_stop"] = "h.stop" } }));
        Assert.Null(Refusal(Valid() with { Kind = FunctionKinds.Faas, Name = "0@svc@fn", ExtendedHandler = new() { ["pre_stop"] = "h.stop" }, ExtendedTimeout = new() { ["other"] = 999 } }));
        Assert.Null(Refusal(Valid() with { Kind = FunctionKinds.Faas, Name = "0@svc@fn", ExtendedHandler = new() { ["other"] = "h" }, ExtendedTimeout = new() { ["pre_stop"] = 999 } }));
    }

    [Fact]
    public void AnUpdate_ChecksThePreStopTimeout_AgainstTheStoredHandler()
    {
        var draft = FunctionRules.BuildDraft(Valid() with { Kind = FunctionKinds.Faas, Name = "0@svc@fn", ExtendedHandler = new() { ["pre_stop"] = "h.stop" } }, Tenant.Default, Options, TimeProvider.System).Value!;

        Assert.Equal("preStop timeOut must between 0 and 180" + MetaError.CheckInput, MergeRefusal(new FunctionRequest { ExtendedTimeout = new() { ["pre_stop"] = 200 } }, draft));
        Assert.Null(MergeRefusal(new FunctionRequest { ExtendedTimeout = new() { ["pre_stop"] = 100 } }, draft));
    }

    [Fact]
    public void AnUpdateGivingAPreStopHandler_ChecksTheStoredTimeout()
    {
        var draft = FunctionRules.BuildDraft(Valid() with { Kind = FunctionKinds.Faas, Name = "0@svc@fn", ExtendedTimeout = new() { ["pre_stop"] = 200 } }, Tenant.Default, Options, TimeProvider.System).Value!;

        Assert.Equal("preStop timeOut must between 0 and 180" + MetaError.CheckInput, MergeRefusal(new FunctionRequest { ExtendedHandler = new() { ["pre_stop"] = "h.stop" } }, draft));
    }

    [Fact]
    public void AnEnvironmentOverItsSize_IsRefused_CountingNamesAndValuesInUtf8()
    {
        var options = new MetaOptions { EnvironmentBytesMax = 10 };

        Assert.Null(Refusal(Valid() with { Environment = new() { ["AB"] = "éééé" } }, options));
        Assert.Equal("environment is 11 bytes (names and values), more than the 10 allowed" + MetaError.CheckInput, Refusal(Valid() with { Environment = new() { ["ABC"] = "éééé" } }, options));
        Assert.Equal("environment is 11 bytes (names and values), more than the 10 allowed" + MetaError.CheckInput, Refusal(Valid() with { Environment = new() { ["A"] = "12345", ["BCDEF"] = "" } }, options));
    }

    [Fact]
    public void ANullEnvironmentValue_CountsNoBytes_SoItIsRefusedOnlyAsANull()
    {
        var options = new MetaOptions { EnvironmentBytesMax = 1 };

        Assert.Equal("environment.A is null: give a string" + MetaError.CheckInput, Refusal(Valid() with { Environment = new() { ["A"] = null! } }, options));
    }

    [Fact]
    public void NullsInsideMapsAndLists_AreRefused_ByTheirPaths()
    {
        var request = Valid() with
        {
            Environment = new() { ["A"] = null! },
            ExtendedHandler = new() { ["h"] = null! },
            HookHandler = new() { ["init"] = null! },
            Tags = new() { ["t"] = null! },
            ResourceAffinitySelectors = [new AffinitySelector(), null!],
            SchedulePolicies = [null!],
        };

        Assert.Equal(
            "environment.A is null: give a string; extendedHandler.h is null: give a string; hookHandler.init is null: give a string; tags.t is null: give a string; "
            + "resourceAffinitySelectors[1] is null: remove it or give a value; schedulePolicies[0] is null: remove it or give a value" + MetaError.CheckInput,
            Refusal(request));
    }

    [Fact]
    public void AnUpdate_ChecksItsOwnFields()
    {
        Assert.Equal("timeout -1 must not be negative" + MetaError.CheckInput, MergeRefusal(new FunctionRequest { Timeout = -1 }));
        Assert.Null(MergeRefusal(new FunctionRequest { Timeout = 0 }));
        Assert.Equal("CPU not in range [300, 16000]" + MetaError.CheckInput, MergeRefusal(new FunctionRequest { Cpu = 100 }));
        Assert.Equal("memory not in range [128, 1073741824]" + MetaError.CheckInput, MergeRefusal(new FunctionRequest { Memory = 100 }));
        Assert.Null(MergeRefusal(new FunctionRequest { Cpu = 400 }));
        Assert.Equal("handler must be at most 64 characters" + MetaError.CheckInput, MergeRefusal(new FunctionRequest { Handler = new string('h', 65) }));
        Assert.Equal("minInstance 5 is greater than maxInstance 3" + MetaError.CheckInput, MergeRefusal(new FunctionRequest { MinInstance = "5", MaxInstance = "3" }));
        Assert.Null(MergeRefusal(new FunctionRequest { Kind = FunctionKinds.Yrlib }));
        Assert.Null(MergeRefusal(new FunctionRequest { Kind = "" }));
    }

    [Fact]
    public void AnUpdateOfAStoredDraftWithResourcesOutOfRange_ChecksThemOnlyWhenGiven()
    {
        var draft = FunctionRules.BuildDraft(Valid() with { Cpu = 1, Memory = 1, PoolType = "custom" }, Tenant.Default, Options, TimeProvider.System).Value!;

        Assert.Null(MergeRefusal(new FunctionRequest { Description = "x" }, draft));
        Assert.Equal("memory not in range [128, 1073741824]" + MetaError.CheckInput, MergeRefusal(new FunctionRequest { Cpu = 300 }, draft));
        Assert.Equal("CPU not in range [300, 16000]" + MetaError.CheckInput, MergeRefusal(new FunctionRequest { Memory = 128 }, draft));
    }
}