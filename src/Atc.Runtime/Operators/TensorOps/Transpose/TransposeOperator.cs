using Atc.Runtime.Core;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.TensorOps.Transpose;

/// <summary>Transpose: attr "perm" (empty = reverse the axes).</summary>
internal sealed class TransposeOperator() : Operator(OpTypes.Transpose)
{
    public override TensorType[] InferOutputs(OpContext context)
    {
        var x = RequireType(context, 0, Numeric.Any);
        var perm = Perm(context, x.Rank);
        return One(x.Type, [.. perm.Select(p => x.Dims[p])]);
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var x = context.Input(0);
        return TransposeKernel.Create(x.Type.SizeOf(), TransposePlan.Create(x.Dims, Perm(context, x.Rank)));
    }

    private int[] Perm(OpContext context, int rank)
    {
        long[] perm = context.Attributes.GetInts("perm", []);
        if (perm.Length == 0) return [.. Enumerable.Range(0, rank).Reverse()];
        if (perm.Length != rank) throw Error($"perm {Shape.Format(perm)} has {perm.Length} entries for rank {rank}");
        var seen = new bool[rank];
        foreach (long p in perm)
        {
            if (p < 0 || p >= rank || seen[p]) throw Error($"perm {Shape.Format(perm)} is not a permutation of 0..{rank - 1}");
            seen[p] = true;
        }
        return [.. perm.Select(p => (int)p)];
    }
}

/// <summary>Runs a <see cref="TransposePlan"/> on elements of one size.</summary>
internal sealed unsafe class TransposeKernel<T>(TransposePlan plan) : IKernel where T : unmanaged
{
    public long ScratchBytes => 0;

    public void Run(in KernelArgs args) => plan.Execute((T*)args.Inputs[0], (T*)args.Outputs[0], args.Workers);
}

internal static class TransposeKernel
{
    public static IKernel Create(int elementSize, TransposePlan plan) => TypeDispatch.Move(elementSize, new Factory(plan));

    private readonly struct Factory(TransposePlan plan) : IMoveKernelFactory
    {
        public IKernel Create<T>() where T : unmanaged => new TransposeKernel<T>(plan);
    }
}
