namespace Atc.Runtime.Operators.ControlFlow;

/// <summary>The operators of this family, registered by <see cref="OperatorCatalog"/>.</summary>
internal static class ControlFlowOperators
{
    public static IEnumerable<IOperator> All() => [new IfOperator(), new LoopOperator(), new ScanOperator()];
}
