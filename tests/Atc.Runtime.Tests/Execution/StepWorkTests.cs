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
    public void RecurrencesAndUnknownWorkAreNeverForcedInline()
    {
        var plan = new ExecutionPlan([[1, 4]], [0],
            [new ValuePlacement(PlacementKind.Input, 0, DataType.Float32, [1, 1, 4]), new ValuePlacement(PlacementKind.Arena, 0, DataType.Float32, [1, 1, 1, 2])],
            64);
        var lstm = new GraphNode("lstm", Atc.Runtime.Operators.OpTypes.Lstm, "LSTM", OpAttributes.Empty, [0], [1]);
        Assert.Equal(long.MaxValue, StepWork.Estimate(lstm, plan));
        var relu = new GraphNode("relu", Atc.Runtime.Operators.OpTypes.Relu, "Relu", OpAttributes.Empty, [0], [1]);
        Assert.Equal(6, StepWork.Estimate(relu, plan));
    }
}
