using System.Numerics;
using Atc.Runtime.Core;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.Reduction.Einsum;

/// <summary>
/// Einsum: variadic operands of one numeric type; attr equation (numpy einsum syntax with ellipsis, explicit or
/// implicit output). A direct contraction: every output element sums the products over the summed labels. Correct
/// for every equation, but not a fast path for large matrix products.
/// </summary>
internal sealed class EinsumOperator() : Operator(OpTypes.Einsum)
{
    public override TensorType[] InferOutputs(OpContext context)
    {
        if (context.InputCount == 0) throw Error("needs at least one input");
        var first = RequireType(context, 0, Numeric.Numbers);
        RequireSameType(context, 0, context.InputCount);
        return One(first.Type, Equation(context).OutputDims);
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs)
        => TypeDispatch.Number(outputs[0].Type, new Factory(Equation(context)));

    private EinsumEquation Equation(OpContext context)
    {
        string equation = context.Attributes.GetString("equation", "");
        if (equation.Length == 0) throw Error("attribute 'equation' is required");
        return EinsumEquation.Parse(equation, [.. Enumerable.Range(0, context.InputCount).Select(i => context.Input(i).Dims)]);
    }

    private readonly struct Factory(EinsumEquation equation) : INumberKernelFactory
    {
        public IKernel Create<T>() where T : unmanaged, INumber<T> => new EinsumKernel<T>(equation);
    }
}

internal sealed unsafe class EinsumKernel<T>(EinsumEquation e) : IKernel where T : unmanaged, INumber<T>
{
    private readonly long _outputCount = Shape.ElementCount(e.OutputDims);
    private readonly long _sumCount = Shape.ElementCount(e.Sizes.AsSpan(e.OutputLabels));

    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        int operands = e.Strides.Length, labels = e.Sizes.Length;
        Span<int> counter = stackalloc int[labels];
        Span<long> offsets = stackalloc long[operands];
        var y = (T*)args.Outputs[0];
        for (long o = 0; o < _outputCount; o++)
        {
            T sum = T.Zero;
            for (long s = 0; s < _sumCount; s++)
            {
                T product = T.One;
                for (int k = 0; k < operands; k++) product *= ((T*)args.Inputs[k])[offsets[k]];
                sum += product;
                Advance(counter, offsets, e.OutputLabels, labels);
            }
            y[o] = sum;
            Advance(counter, offsets, 0, e.OutputLabels);
        }
    }

    /// <summary>Steps the odometer over labels [first, end) by one, keeping each operand's offset in step.</summary>
    private void Advance(Span<int> counter, Span<long> offsets, int first, int end)
    {
        for (int l = end - 1; l >= first; l--)
        {
            for (int k = 0; k < offsets.Length; k++) offsets[k] += e.Strides[k][l];
            if (++counter[l] < e.Sizes[l]) return;
            for (int k = 0; k < offsets.Length; k++) offsets[k] -= e.Strides[k][l] * e.Sizes[l];
            counter[l] = 0;
        }
    }
}
