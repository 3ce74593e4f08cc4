namespace Atc.Runtime.Operators.NeuralNet;

/// <summary>
/// A Conv, Gemm or MatMul kernel that can run its node's mapped activation (<see cref="MicroKernels.Activation.Map"/>)
/// itself, block by block while the block is in cache. <see cref="PostActivationKernel.Wrap"/> adds the whole-output
/// pass only to kernels that do not.
/// </summary>
internal interface IMappedActivationKernel : IKernel
{
    /// <summary>True when this kernel, as configured, applies the mapped activation to everything it writes.</summary>
    bool AppliesMappedActivation { get; }
}
