using System.Numerics;
using Atc.Runtime.Core;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.Loss;

/// <summary>
/// NegativeLogLikelihoodLoss: input [N, C, d...] (float), target [N, d...] (int32/int64), optional weight [C]; attrs
/// reduction ("mean", "sum", "none"), ignore_index (absent: every target must be a class). loss[n, d] =
/// -input[n, target[n, d], d] · weight[target[n, d]] (0 where target is ignore_index); "none" keeps [N, d...], "sum"
/// sums to a scalar, "mean" divides that sum by the sum of the weights taken.
/// </summary>
internal sealed class NegativeLogLikelihoodLossOperator() : Operator(OpTypes.NegativeLogLikelihoodLoss)
{
    public static readonly string[] Reductions = ["mean", "sum", "none"];

    public override TensorType[] InferOutputs(OpContext context)
    {
        var input = RequireType(context, 0, Numeric.Floats);
        var target = RequireType(context, 1, Numeric.Indices);
        if (input.Rank < 2) throw Error($"input must have rank ≥ 2 ([N, C, d...]), got {input}");
        if (target.Rank != input.Rank - 1) throw Error($"target must have rank {input.Rank - 1} ([N, d...]) for input {input}, got {target}");
        for (int i = 0; i < target.Rank; i++)
        {
            int inputDim = input.Dims[i == 0 ? 0 : i + 1];
            if (target.Dims[i] != inputDim)
                throw Error($"target {target} does not match input {input}: dim {i} is {target.Dims[i]}, expected {inputDim}");
        }
        if (context.HasInput(2))
        {
            var weight = RequireType(context, 2, input.Type);
            if (weight.Rank != 1 || weight.Dims[0] != input.Dims[1])
                throw Error($"weight must be [{input.Dims[1]}] (one per class), got {weight}");
        }
        string reduction = Reduction(context);
        return One(input.Type, reduction == "none" ? target.Dims : []);
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var input = context.Input(0);
        var target = context.Input(1);
        var shape = new LossShape(input.Dims[0], input.Dims[1], Shape.ElementCount(input.Dims.AsSpan(2)));
        long? ignoreIndex = context.Attributes.Has("ignore_index") ? context.Attributes.GetInt("ignore_index", 0) : null;
        return TypeDispatch.Float(input.Type, new Factory(shape, target.Type == DataType.Int64, context.HasInput(2), Reduction(context), ignoreIndex));
    }

    private string Reduction(OpContext context)
    {
        string reduction = context.Attributes.GetString("reduction", "mean");
        return Array.IndexOf(Reductions, reduction) >= 0
            ? reduction
            : throw Error($"reduction '{reduction}' must be one of {string.Join(", ", Reductions)}");
    }

    private readonly struct Factory(LossShape shape, bool int64, bool weighted, string reduction, long? ignoreIndex) : IFloatKernelFactory
    {
        public IKernel Create<T>() where T : unmanaged, IFloatingPointIeee754<T> => new NegativeLogLikelihoodLossKernel<T>(shape, int64, weighted, reduction, ignoreIndex);
    }
}

/// <summary>Batch N, classes C and the product of the trailing dims D of a loss input [N, C, d...].</summary>
internal readonly record struct LossShape(long Batch, int Classes, long Inner);

/// <summary>One pass over the targets; sums in float64 so a mean over many elements does not drift.</summary>
internal sealed unsafe class NegativeLogLikelihoodLossKernel<T>(LossShape shape, bool int64, bool weighted, string reduction, long? ignoreIndex)
    : IKernel where T : unmanaged, IFloatingPointIeee754<T>
{
    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        var input = (T*)args.Inputs[0];
        void* target = (void*)args.Inputs[1];
        var weight = weighted ? (T*)args.Inputs[2] : null;
        var output = (T*)args.Outputs[0];
        bool keep = reduction == "none";
        double lossSum = 0, weightSum = 0;
        for (long n = 0; n < shape.Batch; n++)
        {
            for (long d = 0; d < shape.Inner; d++)
            {
                long t = n * shape.Inner + d;
                long cls = int64 ? ((long*)target)[t] : ((int*)target)[t];
                T loss = T.Zero;
                if (cls != ignoreIndex)
                {
                    if (cls < 0 || cls >= shape.Classes)
                        throw new InferenceInputException($"{OpTypes.NegativeLogLikelihoodLoss}: target holds class {cls}, outside [0, {shape.Classes}); pass class indices below {shape.Classes} or set ignore_index to that value");
                    T w = weighted ? weight[cls] : T.One;
                    loss = -input[(n * shape.Classes + cls) * shape.Inner + d] * w;
                    weightSum += double.CreateTruncating(w);
                }
                if (keep) output[t] = loss;
                else lossSum += double.CreateTruncating(loss);
            }
        }
        if (!keep) output[0] = T.CreateTruncating(reduction == "mean" ? lossSum / weightSum : lossSum);
    }
}
