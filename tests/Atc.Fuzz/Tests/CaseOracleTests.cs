using Atc.Fuzz.Oracle;
using Atc.Options;
using Atc.Options.Errors;

namespace Atc.Fuzz.Tests;

public sealed class CaseOracleTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(5);

    [Fact]
    public void Success_passes()
        => Assert.Equal(OutcomeKind.Passed, CaseOracle.Run(new FakeTarget(_ => { }), [], Budget).Kind);

    [Fact]
    public void A_coded_error_passes_with_its_code()
    {
        var outcome = CaseOracle.Run(new FakeTarget(_ => throw FakeTarget.Coded("E10001")), [], Budget);
        Assert.Equal(new Outcome(OutcomeKind.Coded, "E10001"), outcome);
    }

    [Fact]
    public void An_internal_error_is_a_crash()
    {
        var outcome = CaseOracle.Run(new FakeTarget(_ => throw new AtcException(AtcErrors.InternalError("boom 42"))), [], Budget);
        Assert.Equal(OutcomeKind.Crash, outcome.Kind);
        Assert.StartsWith("ATC9999", outcome.Detail);
    }

    [Fact]
    public void An_uncoded_exception_is_a_crash_named_by_its_type()
    {
        var outcome = CaseOracle.Run(new FakeTarget(_ => throw new IndexOutOfRangeException()), [], Budget);
        Assert.Equal(OutcomeKind.Crash, outcome.Kind);
        Assert.StartsWith("IndexOutOfRangeException at ", outcome.Detail);
    }

    [Fact]
    public void Running_past_the_budget_is_a_hang()
    {
        using var release = new ManualResetEventSlim();
        var outcome = CaseOracle.Run(new FakeTarget(_ => release.Wait()), [], TimeSpan.FromMilliseconds(200));
        release.Set();
        Assert.Equal(OutcomeKind.Hang, outcome.Kind);
    }
}
