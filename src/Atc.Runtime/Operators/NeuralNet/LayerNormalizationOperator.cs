using Atc.Runtime.Core;

namespace Atc.Runtime.Operators.NeuralNet;

/// <summary>
/// LayerNormalization (ONNX-17 semantics, inference): Y = (X - mean) / sqrt(var + epsilon) · scale + B, mean and
/// population variance over dims[axis:]; scale and B hold one value per normalised element (or one in all).
/// </summary>
internal sealed class LayerNormalizationOperator : IOperator
{
    public string OpType => OpTypes.LayerNormalization;

    public TensorType[] InferOutputs(OpContext context)
    {
        var x = NeuralNetAttributes.RequireFloat(context, 0, "X");
        long inner = Resolve(context).Inner;
        string[] names = ["scale", "B"];
        for (int i = 1; i <= 2; i++)
        {
            if (!context.HasInput(i)) continue;
            var p = NeuralNetAttributes.RequireFloat(context, i, names[i - 1]);
            if (p.ElementCount != inner && p.ElementCount != 1)
                throw new ShapeException($"{OpType}: {names[i - 1]} {p} must have {inner} values (the normalised part of X {x}) or 1");
        }
        return [new TensorType(DataType.Float32, (int[])x.Dims.Clone())];
    }

    public IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var (rows, inner) = Resolve(context);
        long Count(int i) => context.HasInput(i) ? context.Input(i).ElementCount : 0;
        return new LayerNormalizationKernel(rows, checked((int)inner), Count(1) == 1, context.HasInput(2) ? Count(2) == 1 : null,
            context.Attributes.GetFloat("epsilon", 1e-5f));
    }

    private (long Rows, long Inner) Resolve(OpContext context)
    {
        var x = context.Input(0);
        long axis = context.Attributes.GetInt("axis", -1);
        long normalized = axis < 0 ? axis + x.Rank : axis;
        if (x.Rank == 0 || normalized < 0 || normalized >= x.Rank)
            throw new ShapeException($"{OpType}: axis {axis} is outside X {x}; use an axis in [{-x.Rank}, {x.Rank - 1}]");
        long inner = 1;
        for (int d = (int)normalized; d < x.Rank; d++) inner *= x.Dims[d];
        if (inner > int.MaxValue) throw new ShapeException($"{OpType}: the normalised part of X {x} has {inner} elements, more than 2^31 - 1");
        return (inner == 0 ? 0 : x.ElementCount / inner, inner);
    }
}
