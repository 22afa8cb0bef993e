using MetaService.Core.Functions;

using Xunit;

namespace MetaService.Core.Tests.Functions;

/// <summary>The lifecycle hooks a draft stores (§7.1): the defaults of each kind and runtime, and which requested hooks
/// are kept.</summary>
public sealed class HookHandlersTests
{
    private static readonly string[] Keys = ["init", "call", "checkpoint", "recover", "shutdown", "signal"];

    [Fact]
    public void FaasPython_GetsTheFaasExecutorsHooks_WhateverIsRequested()
    {
        var hooks = HookHandlers.For(FunctionKinds.Faas, "python3.9", new() { ["init"] = "mine" });

        Assert.Equal(Keys, hooks.Keys);
        Assert.Equal(
            ["faas_executor.faasInitHandler", "faas_executor.faasCallHandler", "faas_executor.faasCheckPointHandler", "faas_executor.faasRecoverHandler", "faas_executor.faasShutDownHandler", "faas_executor.faasSignalHandler"],
            hooks.Values);
    }

    [Fact]
    public void FaasJava_GetsTheJavaExecutorsHooks()
    {
        var hooks = HookHandlers.For(FunctionKinds.Faas, "java17", null);

        Assert.Equal("org.yuanrong.services.handler.FaaSExecutor.faasShutDownHandler", hooks["shutdown"]);
        Assert.Equal(6, hooks.Count);
    }

    [Fact]
    public void FaasOfAnotherRuntime_HasNoHooks()
    {
        Assert.Empty(HookHandlers.For(FunctionKinds.Faas, "nodejs10.15.2", new() { ["init"] = "mine" }));
    }

    [Fact]
    public void YrlibJava_GetsItsHandlerClasses()
    {
        var hooks = HookHandlers.For(FunctionKinds.Yrlib, "java1.8", new() { ["init"] = "mine" });

        Assert.Equal(
            ["org.yuanrong.handler.InitHandler", "org.yuanrong.handler.CallHandler", "org.yuanrong.handler.CheckPointHandler", "org.yuanrong.handler.RecoverHandler", "org.yuanrong.handler.ShutdownHandler", "org.yuanrong.handler.SignalHandler"],
            hooks.Values);
    }

    [Fact]
    public void YrlibCppAndCustom_KeepOnlyTheKnownNonEmptyRequestedHooks()
    {
        var requested = new Dictionary<string, string> { ["init"] = "my.init", ["call"] = "", ["other"] = "x" };

        Assert.Equal(new Dictionary<string, string> { ["init"] = "my.init" }, HookHandlers.For(FunctionKinds.Yrlib, "cpp11", requested));
        Assert.Equal(new Dictionary<string, string> { ["init"] = "my.init" }, HookHandlers.For("custom", "python3.9", requested));
        Assert.Empty(HookHandlers.For("custom", "python3.9", null));
        Assert.Empty(HookHandlers.For(FunctionKinds.Yrlib, "cpp11", null));
    }

    [Fact]
    public void YrlibOfOtherRuntimes_DefaultsEachHook_UnlessRequested()
    {
        var hooks = HookHandlers.For(FunctionKinds.Yrlib, "python3.9", new() { ["init"] = "my.init", ["call"] = "", ["other"] = "x" });

        Assert.Equal(Keys, hooks.Keys);
        Assert.Equal(["my.init", "yrlib_handler.call", "yrlib_handler.checkpoint", "yrlib_handler.recover", "yrlib_handler.shutdown", "yrlib_handler.signal"], hooks.Values);
        Assert.Equal("yrlib_handler.init", HookHandlers.For(FunctionKinds.Yrlib, "go1.13", null)["init"]);
    }

    [Theory]
    [InlineData(FunctionKinds.Agent)]
    [InlineData("")]
    public void OtherKinds_HaveNoHooks(string kind)
    {
        Assert.Empty(HookHandlers.For(kind, "python3.9", new() { ["init"] = "mine" }));
    }
}