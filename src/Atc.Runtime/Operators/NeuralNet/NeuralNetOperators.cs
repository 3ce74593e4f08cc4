namespace Atc.Runtime.Operators;

internal static partial class OperatorCatalog
{
    private static partial IEnumerable<IOperator> NeuralNetOperators() => [];
}
