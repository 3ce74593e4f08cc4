using Atc.Runtime.Core;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.Elementwise.Binary;

/// <summary>PRelu: X, slope (unidirectionally broadcast to X) → X &lt; 0 ? slope * X : X.</summary>
internal sealed class PReluOperator() : BroadcastBinaryOperator(OpTypes.PRelu, Numeric.Float)
{
    public override TensorType[] InferOutputs(OpContext context)
    {
        var outputs = base.InferOutputs(context);
        var x = context.Input(0);
        if (!outputs[0].Dims.AsSpan().SequenceEqual(x.Dims))
            throw Error($"slope {Shape.Format(context.Input(1).Dims)} must broadcast to X {Shape.Format(x.Dims)} without growing it");
        return outputs;
    }

    protected override IKernel CreateKernel(OpContext context, BroadcastPlan plan, DataType type) => new BinaryKernel<float, float, PReluOp>(plan);
}
