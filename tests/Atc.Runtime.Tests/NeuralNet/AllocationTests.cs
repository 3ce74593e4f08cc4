using Atc.Runtime.Core;
using Atc.Runtime.Operators;

namespace Atc.Tests.NeuralNet;

/// <summary>Kernels take their per-call memory from scratch: a Run allocates nothing on the managed heap.</summary>
[Collection("NeuralNet")]
public class AllocationTests
{
    public static IEnumerable<object[]> ConvCases() =>
        from name in new[] { "3x3 pad 1", "pointwise", "depthwise 3x3 wide rows", "first layer 7x7 stride 2", "groups" }
        from layout in new[] { "NCHW", "NHWC" }
        from constant in new[] { true, false }
        select new object[] { name, layout, constant };

    [Theory]
    [MemberData(nameof(ConvCases))]
    public void ConvRunDoesNotAllocate(string name, string layout, bool constant)
    {
        var (inputs, attrs, _, _) = ConvTests.Build(ConvCase.Named(name), layout == "NHWC", constant);
        Assert.Equal(0, OpRunner.AllocatedBytesPerRun(OpTypes.Conv, attrs, inputs));
    }

    [Fact]
    public void OtherOperatorsDoNotAllocate()
    {
        var x = new TestInput([2, 8, 9, 10], TestData.Random(1, 2 * 8 * 90));
        var c = new TestInput([8], TestData.Random(2, 8).Select(v => Math.Abs(v) + 1).ToArray());
        var pool = new OpAttributes().Set("kernel_shape", new long[] { 3, 3 }).Set("pads", new long[] { 1, 1, 1, 1 });
        Assert.Equal(0, OpRunner.AllocatedBytesPerRun(OpTypes.MaxPool, pool, [x]));
        Assert.Equal(0, OpRunner.AllocatedBytesPerRun(OpTypes.AveragePool, pool, [x]));
        Assert.Equal(0, OpRunner.AllocatedBytesPerRun(OpTypes.GlobalAveragePool, new OpAttributes(), [x]));
        Assert.Equal(0, OpRunner.AllocatedBytesPerRun(OpTypes.BatchNormalization, new OpAttributes(), [x, c, c, c, c]));
        Assert.Equal(0, OpRunner.AllocatedBytesPerRun(OpTypes.InstanceNormalization, new OpAttributes(), [x, c, c]));
        Assert.Equal(0, OpRunner.AllocatedBytesPerRun(OpTypes.LRN, new OpAttributes().Set("size", 3), [x]));
        var a = new TestInput([30, 40], TestData.Random(3, 1200));
        var b = new TestInput([40, 50], TestData.Random(4, 2000));
        Assert.Equal(0, OpRunner.AllocatedBytesPerRun(OpTypes.MatMul, new OpAttributes(), [a, b]));
        Assert.Equal(0, OpRunner.AllocatedBytesPerRun(OpTypes.Gemm, new OpAttributes().Set("transA", 1), [new([40, 30], a.Data), b with { Constant = true }]));
        var w = new TestInput([8, 4, 3, 3], TestData.Random(5, 288));
        Assert.Equal(0, OpRunner.AllocatedBytesPerRun(OpTypes.ConvTranspose, new OpAttributes().Set("strides", new long[] { 2, 2 }), [x, w]));
    }
}
