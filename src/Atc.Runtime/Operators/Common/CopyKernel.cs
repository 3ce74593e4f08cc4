namespace Atc.Runtime.Operators.Common;

/// <summary>
/// Copies input 0 to output 0 unchanged (Identity, Reshape, Flatten, Squeeze, Unsqueeze). Skips the copy when the
/// planner made the output alias the input.
/// </summary>
internal sealed unsafe class CopyKernel(long byteCount) : IKernel
{
    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        if (args.Inputs[0] != args.Outputs[0] && byteCount > 0)
            Buffer.MemoryCopy((void*)args.Inputs[0], (void*)args.Outputs[0], byteCount, byteCount);
    }
}

/// <summary>Writes fixed bytes known when the kernel is built (Shape, Size, ConstantOfShape, folded values).</summary>
internal sealed unsafe class ConstantKernel(byte[] bytes) : IKernel
{
    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        if (bytes.Length > 0) bytes.AsSpan().CopyTo(new Span<byte>((void*)args.Outputs[0], bytes.Length));
    }
}
