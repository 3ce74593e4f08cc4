using Atc.Runtime.Core;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.DataDependent;

/// <summary>
/// Base of the operators whose output size is counted from the data: the planned shape rule always answers
/// "data-dependent" (so the planner puts the node in the dynamic region), and the run-time rule is the bound.
/// </summary>
internal abstract class DataDependentOperator(string opType) : Operator(opType), IDataDependentOperator
{
    public sealed override TensorType[] InferOutputs(OpContext context)
    {
        InferBounds(context, out _);   // the rules on the inputs still hold at plan time
        throw new DataDependentShapeException($"{OpType}: the output size is counted from the data");
    }

    public abstract TensorType[] InferBounds(OpContext context, out bool[][] dataDependentDims);
}

/// <summary>A data-dependent kernel's plain <see cref="IKernel.Run"/>: the bound shapes, discarded.</summary>
internal abstract class DataDependentKernel : IDataDependentKernel
{
    public virtual long ScratchBytes => 0;

    public void Run(in KernelArgs args) => Run(args, new int[8][]);

    public abstract void Run(in KernelArgs args, int[][] actualDims);
}
