using MetaService.Core;
using MetaService.Server.Auth;
using MetaService.Server.Ui;

using Microsoft.AspNetCore.Http;

namespace MetaService.Server.Tests.Ui;

/// <summary>The console's rules that need no server: where a form may send the browser next, the status of a Core
/// refusal on a page, and what each kind of user may do.</summary>
public sealed class ConsoleRulesTests
{
    [Theory]
    [InlineData("/ui", "/ui")]
    [InlineData("/ui/functions/a?x=1", "/ui/functions/a?x=1")]
    [InlineData("/ui?name=a", "/ui?name=a")]
    [InlineData("/uix", "/ui")]
    [InlineData("/ui//evil.example", "/ui")]
    [InlineData("/ui/..\\evil", "/ui")]
    [InlineData("//evil.example", "/ui")]
    [InlineData("https://evil.example/ui", "/ui")]
    [InlineData("ui/functions", "/ui")]
    [InlineData("", "/ui")]
    [InlineData(null, "/ui")]
    public void AFormGoesOnOnlyToAPageOfTheConsole(string? then, string expected) => Assert.Equal(expected, ConsoleSession.LocalPath(then));

    [Fact]
    public void APathOfAtMost2048Characters_IsKept()
    {
        var longest = "/ui/" + new string('a', 2044);
        Assert.Equal(longest, ConsoleSession.LocalPath(longest));
        Assert.Equal("/ui", ConsoleSession.LocalPath(longest + "a"));
    }

    [Theory]
    [InlineData(ErrorKind.NotFound, 404)]
    [InlineData(ErrorKind.Conflict, 409)]
    [InlineData(ErrorKind.RevisionMismatch, 412)]
    [InlineData(ErrorKind.Invalid, 400)]
    [InlineData(ErrorKind.TooLarge, 400)]
    [InlineData(ErrorKind.PreconditionRequired, 400)]
    public void APageAnswersARefusalWithTheApisStatus(ErrorKind kind, int status) =>
        Assert.Equal(status, ConsoleProblems.StatusOf(new MetaError(4104, "m", kind)));

    [Theory]
    [InlineData(null, false, true, true, true, true, false, "authentication is off")]
    [InlineData(null, true, false, false, false, false, false, "")]
    [InlineData(Role.Viewer, true, true, false, false, false, true, "tok (viewer)")]
    [InlineData(Role.Editor, true, true, false, false, true, false, "tok (editor)")]
    [InlineData(Role.Admin, true, true, true, true, true, false, "tok (admin)")]
    public void WhatEachUserMayDo(Role? role, bool authOn, bool signedIn, bool maySwitch, bool mayAdminister, bool mayEdit, bool masked, string who)
    {
        var caller = role is { } r ? new Caller("tok", Tenant.Default, r) : null;
        var user = new ConsoleUser(caller, authOn, Tenant.Default);

        Assert.Equal(signedIn, user.SignedIn);
        Assert.Equal(maySwitch, user.MaySwitchTenant);
        Assert.Equal(mayAdminister, user.MayAdminister);
        Assert.Equal(mayEdit, user.MayEdit);
        Assert.Equal(masked, user.Masked);
        if (who.Length > 0)
        {
            Assert.Equal(who, user.Who);
        }
    }

    [Fact]
    public void ARequestTheGateHasNotSeen_IsNobody_WithAuthenticationOn()
    {
        var context = new DefaultHttpContext();

        var user = ConsoleUser.Of(context);

        Assert.Equal(new ConsoleUser(null, true, Tenant.Default), user);
        Assert.False(user.SignedIn);
    }
}