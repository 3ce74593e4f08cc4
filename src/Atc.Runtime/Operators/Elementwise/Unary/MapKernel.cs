using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.Elementwise.Unary;

/// <summary>
/// An element-wise unary kernel over a contiguous tensor, split in chunks across workers. <see cref="Apply"/> must
/// allow y to alias x (the planner may run these in place).
/// </summary>
internal abstract unsafe class MapKernel<T>(long count) : IKernel where T : unmanaged
{
    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        var body = new Body(this, (T*)args.Inputs[0], (T*)args.Outputs[0]);
        ParallelRange.For(args.Workers, count, 1, ref body);
    }

    public abstract void Apply(ReadOnlySpan<T> x, Span<T> y);

    private readonly struct Body(MapKernel<T> kernel, T* x, T* y) : IRangeBody
    {
        public void Run(long start, long end)
        {
            int length = (int)(end - start);
            kernel.Apply(new ReadOnlySpan<T>(x + start, length), new Span<T>(y + start, length));
        }
    }
}

/// <summary>A float map given as a delegate (one call per chunk, so the indirection costs nothing measurable).</summary>
internal delegate void FloatMap(ReadOnlySpan<float> x, Span<float> y);

internal sealed class FloatMapKernel(long count, FloatMap map) : MapKernel<float>(count)
{
    public override void Apply(ReadOnlySpan<float> x, Span<float> y) => map(x, y);
}

/// <summary>
/// Runs a two-pass float map in blocks through a stack buffer, so the second pass can still read x when y aliases x.
/// </summary>
internal static class Blocked
{
    public const int BlockSize = UnaryBlocks.BlockSize;

    public delegate void Pass(ReadOnlySpan<float> x, Span<float> temp, Span<float> y);

    /// <summary>A map that runs <paramref name="pass"/> block by block (the pass delegate is built once, not per call).</summary>
    public static FloatMap Map(Pass pass) => (x, y) => Run(x, y, pass);

    public static void Run(ReadOnlySpan<float> x, Span<float> y, Pass pass)
    {
        Span<float> temp = stackalloc float[BlockSize];
        for (int i = 0; i < y.Length; i += BlockSize)
        {
            int n = Math.Min(BlockSize, y.Length - i);
            pass(x.Slice(i, n), temp[..n], y.Slice(i, n));
        }
    }
}

internal static class UnaryBlocks
{
    /// <summary>Floats per stack block for multi-pass maps: 2 KB, well inside L1.</summary>
    public const int BlockSize = 512;
}
