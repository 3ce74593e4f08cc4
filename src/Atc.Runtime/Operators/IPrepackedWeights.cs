namespace Atc.Runtime.Operators;

/// <summary>
/// Constant inputs of one node stored by the compiler already in a kernel's internal layout (GEMM panels, transformed
/// filters, ...), each named by a key that fully encodes the layout and its parameters
/// ("gemm-panels/v1;src=...;k=...;n=..."). At load time the blobs are slices of the loaded model, used in place;
/// at compile time the compiler's implementation records what kernels pack, to store it.
/// Kernels use it through <see cref="MicroKernels.PrepackedWeights.Acquire"/> rather than directly.
/// </summary>
internal interface IPrepackedWeights
{
    /// <summary>The stored blob with this key: its address (never moves while the model lives) and length in bytes.</summary>
    bool TryGet(string key, out nint pointer, out long byteLength);

    /// <summary>
    /// A kernel packed <paramref name="data"/> from the raw constant input <paramref name="input"/> under
    /// <paramref name="key"/>. By reporting it the kernel promises that, given this blob, it reads nothing else of
    /// that input (neither at setup nor at run time), so the compiler may leave the raw weights out of the file.
    /// </summary>
    void Report(int input, string key, ReadOnlySpan<byte> data);
}
