namespace Atc.Tests.Conformance;

/// <summary>Where a conformance case ended.</summary>
public enum CaseStatus
{
    /// <summary>Every output within tolerance of the reference.</summary>
    Passed,
    /// <summary>Ran, but an output differs (shape, type or values beyond tolerance).</summary>
    Failed,
    /// <summary>The importer reported unsupported ops (ATC1200); <see cref="CaseOutcome.Ops"/> names them.</summary>
    Unsupported,
    /// <summary>Imported, but the optimised graph uses ops the runtime has no operator for yet.</summary>
    NoKernel,
    /// <summary>Any other exception (planning, emitting, loading, running, reading the case).</summary>
    Error,
}

/// <summary>The result of one case: status, a one-line reason, op types involved and the largest output error.</summary>
public sealed record CaseOutcome(string Folder, string Case, CaseStatus Status, string Detail, string[] Ops, double MaxError)
{
    public static CaseOutcome Pass(string folder, string name, double maxError, string detail) => new(folder, name, CaseStatus.Passed, detail, [], maxError);

    /// <summary>Graph inputs that were turned into constants holding the fed values (shape-like operands the
    /// compiler needs at compile time); empty for a case run as given.</summary>
    public string[] FrozenInputs { get; init; } = [];

    public bool Passed => Status == CaseStatus.Passed;

    /// <summary>Counts against the baseline: the case imports but does not produce the right answer.</summary>
    public bool IsFailureOrError => Status is CaseStatus.Failed or CaseStatus.Error or CaseStatus.NoKernel;

    public override string ToString() => $"{Folder}/{Case}: {Status}: {Detail}";
}
