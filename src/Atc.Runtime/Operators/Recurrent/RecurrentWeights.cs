using Atc.Runtime.MicroKernels;

namespace Atc.Runtime.Operators.Recurrent;

/// <summary>
/// Rows [Row0, Row0 + Rows) of direction <see cref="Direction"/> of W [dirs, gates*hidden, K] or R, as the B of
/// x · slice^T: K x Rows in GEMM panels. Constant weights are packed once (stored in the .om by the compiler);
/// weights known only at run time are packed into scratch at the start of each call.
/// </summary>
internal sealed unsafe class RecurrentWeights
{
    private readonly int _input, _gateRows;
    private readonly float* _packed;
    private readonly AlignedBuffer? _owner;   // holds what this kernel packed itself; null for a blob of the model

    public RecurrentWeights(OpContext context, int input, int direction, int gateRows, int row0, int rows, int k)
    {
        _input = input;
        _gateRows = gateRows;
        Direction = direction;
        Row0 = row0;
        Rows = rows;
        K = k;
        KStarts = GemmLayout.UniformKBlocks(k);
        if (ConstantWeights.Of(context, input) is { } constant)
        {
            string key = PrepackedWeights.Key("rnn-panels/v1", ("src", input == RecurrentSpec.InputW ? "w" : "r"), ("dir", direction),
                ("gaterows", gateRows), ("row0", row0), ("rows", rows), ("k", k), ("kblocks", KStarts));
            var packed = constant.Acquire(key, PackedFloats, (raw, dst) => Pack(raw, dst));
            _packed = packed.Pointer;
            _owner = packed.Owner;
        }
    }

    public int Direction { get; }
    public int Row0 { get; }
    public int Rows { get; }
    public int K { get; }
    public int[] KStarts { get; }
    public long PackedFloats => GemmLayout.PackedLength(K, Rows);
    /// <summary>Whether the weights are packed already (constant); otherwise <see cref="PackAtRun"/> packs them per call.</summary>
    public bool IsPacked => _packed != null;

    /// <summary>The packed panels: the constant's, or <paramref name="scratch"/> after packing this call's weights into it.</summary>
    public float* PackAtRun(in KernelArgs args, float* scratch)
    {
        if (_packed != null) return _packed;
        Pack((float*)args.Inputs[_input], scratch);
        return scratch;
    }

    private void Pack(float* raw, float* destination)
    {
        float* slice = raw + ((long)Direction * _gateRows + Row0) * K;
        PrepackedWeights.PackPanels(new TransposedPanels(slice, K, Rows, 1f), KStarts, Rows, destination);
    }

    /// <summary>Keeps the packed buffer alive as long as the kernel.</summary>
    internal AlignedBuffer? Owner => _owner;
}
