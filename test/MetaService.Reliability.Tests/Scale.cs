namespace MetaService.Reliability.Tests;

/// <summary>How hard the suite pushes: the fast form in CI; <c>METASERVICE_RELIABILITY=full</c> runs the
/// figures of issue 5 (R1 200 rounds, R2 20 kill cycles, R3 20 000 bad requests).</summary>
public static class Scale
{
    public static bool Full => Environment.GetEnvironmentVariable("METASERVICE_RELIABILITY") == "full";

    public static int Rounds => Full ? 200 : 20;

    public static int KillCycles => Full ? 20 : 2;

    public static int BadRequests => Full ? 20_000 : 5_000;
}