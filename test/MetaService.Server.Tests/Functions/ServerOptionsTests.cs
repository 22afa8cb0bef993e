using MetaService.Server.Functions;
using MetaService.Server.Wire;

namespace MetaService.Server.Tests.Functions;

/// <summary>The <c>Server:</c> settings of the function routes: the request body's bound and the answer cache's, their
/// defaults, bounds and messages.</summary>
public sealed class ServerOptionsTests
{
    [Fact]
    public void Defaults_AreAMebibyteOfBody_And64MiBOfAnswers()
    {
        Assert.Equal((1024L * 1024, 64L * 1024 * 1024), (new WireOptions().MaxRequestBodyBytes, new FunctionAnswersOptions().AnswerCacheBytes));
        Assert.Empty(new WireOptions().Problems());
        Assert.Empty(new FunctionAnswersOptions().Problems());
    }

    [Fact]
    public void TheBounds_ABodyOfOneByte_AndNoAnswersKept_AreNoProblem()
    {
        Assert.Empty(new WireOptions { MaxRequestBodyBytes = 1 }.Problems());
        Assert.Empty(new FunctionAnswersOptions { AnswerCacheBytes = 0 }.Problems());
    }

    [Fact]
    public void OutOfRange_IsAProblem_NamingTheSettingAndItsBounds()
    {
        Assert.Equal(["Server:MaxRequestBodyBytes is 0: give a positive number of bytes (default 1048576)"], new WireOptions { MaxRequestBodyBytes = 0 }.Problems());
        Assert.Equal(["Server:AnswerCacheBytes is -1: give 0 (no answers kept) or a number of bytes (default 67108864)"], new FunctionAnswersOptions { AnswerCacheBytes = -1 }.Problems());
    }
}