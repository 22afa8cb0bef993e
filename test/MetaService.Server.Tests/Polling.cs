namespace MetaService.Server.Tests;

/// <summary>Waiting for what another thread of the server decides: bounded, and loud when it never happens.</summary>
public static class Polling
{
    /// <summary>Polls <paramref name="condition"/>, at most 2 000 × 10 ms; a condition still false then fails the test
    /// naming <paramref name="what"/>, it does not pass it silently.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what = "the awaited condition")
    {
        for (var i = 0; i < 2_000; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Assert.Fail($"{what} did not hold within 2 000 polls of 10 ms");
    }
}