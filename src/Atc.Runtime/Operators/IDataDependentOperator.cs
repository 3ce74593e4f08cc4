namespace Atc.Runtime.Operators;

/// <summary>
/// An operator whose output size is known only once its kernel has looked at the data (NonZero, NonMaxSuppression,
/// Unique, Compress). Its <see cref="IOperator.InferOutputs"/> throws <see cref="Core.DataDependentShapeException"/>; the
/// dynamic region sizes the outputs with <see cref="InferBounds"/> and the kernel reports what it wrote.
/// </summary>
internal interface IDataDependentOperator : IOperator
{
    /// <summary>
    /// The largest outputs these inputs can give (NonZero: all elements; NMS: boxes x classes x batch) and, per output,
    /// which dims are data-dependent (the others are exact).
    /// </summary>
    TensorType[] InferBounds(OpContext context, out bool[][] dataDependentDims);
}

/// <summary>A kernel of an <see cref="IDataDependentOperator"/>: writes each output densely in its actual shape from the
/// start of a buffer sized by the bound, and reports that shape.</summary>
internal interface IDataDependentKernel : IKernel
{
    /// <param name="args">The call's pointers (outputs sized by the bounds).</param>
    /// <param name="actualDims">On entry the bound dims of each output; the kernel overwrites the data-dependent ones.</param>
    void Run(in KernelArgs args, int[][] actualDims);
}
