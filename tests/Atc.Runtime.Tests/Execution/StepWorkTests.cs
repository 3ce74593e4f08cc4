using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Execution;
using Atc.TestModels.Onnx;
using Atc.Tests.TestSupport;

namespace Atc.Tests.Execution;

/// <summary>Steps too small to be worth a fork/join run on the calling thread; the convolutions of the same model do not.</summary>
public class StepWorkTests
{
    [Fact]
    public void SmallStepsOfATwoInputModelRunInlineAndItsConvolutionsMayFork()
    {
        var model = InferenceModel.Load(CompiledOm.FromOnnx(OnnxSmallModels.TwoTower(), "two_tower", 1));
        var gear = model.Gear(0);
        var steps = gear.ProfiledSteps;
        var inline = steps.Where(s => gear.RunsInline(s.Index)).Select(s => s.OpType).ToHashSet();
        var forking = steps.Where(s => !gear.RunsInline(s.Index)).Select(s => s.OpType).ToHashSet();

        // conv1 (16x32x32 outputs x 27) and conv2 (16x16x16 x 144) are well above the threshold.
        Assert.Contains("Conv", forking);
        Assert.Contains("Gemm", inline);        // [1,16] x [16,32] ... [1,64] x [64,10]
        Assert.Contains("Softmax", inline);     // 10 elements
        Assert.Contains("Concat", inline);
        Assert.DoesNotContain("Gemm", forking);
    }

    [Fact]
    public void ConvolutionsForkByMultiplyAddsAndElementwiseStepsByElements()
    {
        // X [1,8,H,W], weights [16,8,3,3] (72 multiply-adds per output), Y [1,16,H,W]; a Relu on Y.
        static (ExecutionPlan Plan, GraphNode Conv, GraphNode Relu) Step(int side)
        {
            var plan = new ExecutionPlan([[1, 8, side, side]], [0],
                [
                    new ValuePlacement(PlacementKind.Input, 0, DataType.Float32, [1, 8, side, side]),
                    new ValuePlacement(PlacementKind.Weights, 1, DataType.Float32, [16, 8, 3, 3]),
                    new ValuePlacement(PlacementKind.Arena, 0, DataType.Float32, [1, 16, side, side]),
                    new ValuePlacement(PlacementKind.Arena, 0, DataType.Float32, [1, 16, side, side]),
                ], 64);
            return (plan,
                new GraphNode("conv", Atc.Runtime.Operators.OpTypes.Conv, "Conv", OpAttributes.Empty, [0, 1], [2]),
                new GraphNode("relu", Atc.Runtime.Operators.OpTypes.Relu, "Relu", OpAttributes.Empty, [2], [3]));
        }

        // 8x8: 73,728 multiply-adds (a few microseconds: inline), 2,048 Relu elements (inline).
        var (small, smallConv, smallRelu) = Step(8);
        Assert.Equal(73_728, StepWork.Estimate(smallConv, small));
        Assert.True(StepWork.RunsInline(smallConv, small));
        Assert.True(StepWork.RunsInline(smallRelu, small));
        // 32x32: 1.18 M multiply-adds and 32,768 Relu elements: both fork.
        var (large, largeConv, largeRelu) = Step(32);
        Assert.False(StepWork.RunsInline(largeConv, large));
        Assert.False(StepWork.RunsInline(largeRelu, large));
        // Between the two floors: 16x16 is 294,912 multiply-adds (forks) and 8,192 Relu elements (inline).
        var (middle, middleConv, middleRelu) = Step(16);
        Assert.False(StepWork.RunsInline(middleConv, middle));
        Assert.True(StepWork.RunsInline(middleRelu, middle));
    }

    [Fact]
    public void RecurrencesAndUnknownWorkAreNeverForcedInline()
    {
        var plan = new ExecutionPlan([[1, 4]], [0],
            [new ValuePlacement(PlacementKind.Input, 0, DataType.Float32, [1, 1, 4]), new ValuePlacement(PlacementKind.Arena, 0, DataType.Float32, [1, 1, 1, 2])],
            64);
        var lstm = new GraphNode("lstm", Atc.Runtime.Operators.OpTypes.Lstm, "LSTM", OpAttributes.Empty, [0], [1]);
        Assert.Equal(long.MaxValue, StepWork.Estimate(lstm, plan));
        Assert.False(StepWork.RunsInline(lstm, plan));
        var relu = new GraphNode("relu", Atc.Runtime.Operators.OpTypes.Relu, "Relu", OpAttributes.Empty, [0], [1]);
        Assert.Equal(6, StepWork.Estimate(relu, plan));
    }
}
