using System.Numerics.Tensors;
using Atc.Runtime.MicroKernels;
using Atc.Runtime.Operators.Common;
using Atc.Runtime.Operators.Elementwise.Unary;

namespace Atc.Runtime.Operators.Elementwise.Binary;

/// <summary>
/// GatedMul: X · gate(G), G broadcast into X's shape (a squeeze-excite's per-channel gate). The gate runs on G's few
/// elements into scratch, then one broadcast multiply writes Y: the gate never becomes a tensor of X's size.
/// </summary>
internal sealed class GatedMulOperator() : BroadcastBinaryOperator(OpTypes.GatedMul, Numeric.Float)
{
    public override TensorType[] InferOutputs(OpContext context)
    {
        var outputs = base.InferOutputs(context);
        var x = context.Input(0);
        if (!outputs[0].Dims.AsSpan().SequenceEqual(x.Dims))
            throw Error($"gate {context.Input(1)} must broadcast into X {x} without enlarging it");
        ReadGate(context);
        return outputs;
    }

    protected override IKernel CreateKernel(OpContext context, BroadcastPlan plan, DataType type)
    {
        var x = context.Input(0);
        var g = context.Input(1);
        var gate = ReadGate(context);
        if (!ChannelGateMultiply.Fits(x.Dims, g.Dims))
            return new GatedMulKernel(new BinaryKernel<float, float, MulOp<float>>(plan), g.ElementCount, gate);
        int channels = x.Dims[^1];
        long rows = x.ElementCount / channels;
        return new ChannelsLastGatedMulKernel(KernelIsa.Current, rows, channels, g.Dims[0] == 1 ? rows : rows / x.Dims[0], g.ElementCount, gate);
    }

    private FloatMap ReadGate(OpContext context)
    {
        string gate = context.Attributes.GetString("gate", OpTypes.Sigmoid);
        float alpha = context.Attributes.GetFloat("alpha", 0.2f), beta = context.Attributes.GetFloat("beta", 0.5f);
        return gate switch
        {
            OpTypes.Sigmoid => (g, y) => TensorPrimitives.Sigmoid(g, y),
            OpTypes.HardSigmoid => (g, y) =>
            {
                VectorMath.ScaleShift(g, alpha, beta, y);
                TensorPrimitives.Clamp(y, 0f, 1f, y);
            },
            _ => throw Error($"gate '{gate}' is not supported; use \"{OpTypes.Sigmoid}\" or \"{OpTypes.HardSigmoid}\""),
        };
    }

    private sealed unsafe class GatedMulKernel(BinaryKernel<float, float, MulOp<float>> multiply, long gateCount, FloatMap gate) : IKernel
    {
        public long ScratchBytes => gateCount * sizeof(float);

        public void Run(in KernelArgs args)
        {
            float* gated = (float*)args.Scratch;
            gate(new ReadOnlySpan<float>((float*)args.Inputs[1], (int)gateCount), new Span<float>(gated, (int)gateCount));
            multiply.Execute((float*)args.Inputs[0], gated, (float*)args.Outputs[0], args.Workers);
        }
    }

    /// <summary>The gate over the last dim of a channels-last X (<see cref="ChannelGateMultiply"/>).</summary>
    private sealed unsafe class ChannelsLastGatedMulKernel(Isa isa, long rows, int channels, long rowsPerGate, long gateCount, FloatMap gate) : IKernel
    {
        public long ScratchBytes => gateCount * sizeof(float);

        public void Run(in KernelArgs args)
        {
            float* gated = (float*)args.Scratch;
            gate(new ReadOnlySpan<float>((float*)args.Inputs[1], (int)gateCount), new Span<float>(gated, (int)gateCount));
            ChannelGateMultiply.Run(isa, (float*)args.Inputs[0], gated, (float*)args.Outputs[0], rows, channels, rowsPerGate, args.Workers);
        }
    }
}
