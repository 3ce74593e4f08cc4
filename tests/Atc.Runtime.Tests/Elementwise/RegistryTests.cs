using System.Reflection;
using Atc.Runtime.Operators;

namespace Atc.Tests.Ops;

public class RegistryTests
{
    /// <summary>Op types implemented by the neural-net family, not by element-wise/tensor/reduction.</summary>
    private static readonly HashSet<string> NeuralNet =
    [
        OpTypes.Conv, OpTypes.ConvTranspose, OpTypes.MaxPool, OpTypes.AveragePool, OpTypes.GlobalAveragePool,
        OpTypes.GlobalMaxPool, OpTypes.Gemm, OpTypes.MatMul, OpTypes.BatchNormalization, OpTypes.InstanceNormalization, OpTypes.LRN,
    ];

    private static IEnumerable<string> CanonicalOpTypes() => typeof(OpTypes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!);

    [Fact]
    public void EveryCanonicalOpOutsideNeuralNetIsRegistered()
    {
        var missing = CanonicalOpTypes().Where(op => !NeuralNet.Contains(op) && !OperatorRegistry.IsSupported(op)).ToList();
        Assert.True(missing.Count == 0, "not registered: " + string.Join(", ", missing));
        Assert.True(CanonicalOpTypes().Count() > 80);
    }

    [Fact]
    public void RegisteredOperatorsReportTheirOwnOpType()
    {
        foreach (var op in OperatorRegistry.SupportedOpTypes) Assert.Equal(op, OperatorRegistry.Get(op).OpType);
    }

    [Fact]
    public void VariadicOpsNameTheInputThatDoesNotBroadcast() =>
        OpTester.ShapeError(OpTypes.Sum, null, [T.Iota(2, 3), T.Iota(3), T.Iota(4)], "input 2", "[4]");
}
