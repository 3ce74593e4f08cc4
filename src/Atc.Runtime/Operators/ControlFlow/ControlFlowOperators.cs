namespace Atc.Runtime.Operators.ControlFlow;

/// <summary>The operators of this family, registered by <see cref="OperatorCatalog"/>.</summary>
internal static class ControlFlowOperators
{
    public static IEnumerable<OperatorEntry> Entries() =>
    [
        new(OpTypes.If, static _ => new IfOperator()),
        new(OpTypes.Loop, static _ => new LoopOperator()),
        new(OpTypes.Scan, static _ => new ScanOperator()),
    ];
}
