using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Atc.Runtime.MicroKernels;

/// <summary>
/// Winograd weight transform: U = G g G^T for every (output, input) channel pair, computed once in double from
/// constant weights. The result is one matrix [C_in, C_out] per point of the transformed tile (36 for F(4x4, 3x3),
/// 16 for F(2x2, 3x3)), each packed into GEMM panels so the products run on the ordinary micro-kernels.
/// </summary>
/// <remarks>
/// Input channels are re-laid 16 at a time as 9 rows over the output channels, then G g G^T runs on vectors of
/// output channels and each point's rows go straight to their place in the packed panels (no intermediate U).
/// Every path (AVX-512, AVX2, Vector128, the scalar tail) does the same double multiplies and adds in the same
/// order (no FMA), so U has the same bytes on every machine, and the same bytes as the former scalar transform.
/// </remarks>
internal static unsafe class WinogradWeights
{
    /// <summary>G of F(4x4, 3x3) (Lavin and Gray), 6 x 3, row-major.</summary>
    private static readonly double[] G4 =
    [
        1.0 / 4, 0, 0,
        -1.0 / 6, -1.0 / 6, -1.0 / 6,
        -1.0 / 6, 1.0 / 6, -1.0 / 6,
        1.0 / 24, 1.0 / 12, 1.0 / 6,
        1.0 / 24, -1.0 / 12, 1.0 / 6,
        0, 0, 1,
    ];

    /// <summary>G of F(2x2, 3x3), 4 x 3, row-major.</summary>
    private static readonly double[] G2 =
    [
        1, 0, 0,
        0.5, 0.5, 0.5,
        0.5, -0.5, 0.5,
        0, 0, 1,
    ];

    /// <summary>The prepacked-weights key of what the kernel transforms from: W [O, C, 3, 3] as it is.</summary>
    public static string SourceKey(int inChannels, int outChannels) =>
        PrepackedWeights.Key("conv3x3-weights/v1", ("src", "conv-o.c.3.3"), ("o", outChannels), ("c", inChannels));

    /// <summary>Floats of the whole packed U: one packed [C_in, C_out] matrix per point.</summary>
    public static long PackedFloats(WinogradTile tile, int inChannels, int outChannels) =>
        tile.Points * PointFloats(inChannels, outChannels);

    /// <summary>Floats of one point's packed [C_in, C_out] matrix.</summary>
    public static long PointFloats(int inChannels, int outChannels) => GemmLayout.PackedLength(inChannels, outChannels);

    /// <summary>Transforms W [O, C, 3, 3] for a variant and packs point e's matrix at <c>dst + e * PointFloats(C, O)</c>.</summary>
    public static void TransformAndPack(WinogradTile tile, float* weights, int inChannels, int outChannels, int[] kStarts, float* dst)
    {
        var job = new Job(tile, weights, inChannels, outChannels, kStarts, dst);
        var taps = new float[job.TapsFloats];
        var stage = new float[tile.Points * GemmLayout.PanelWidth];
        fixed (float* t = taps)
        fixed (float* st = stage)
        fixed (double* g = tile.Output == 4 ? G4 : G2)
            switch (KernelIsa.Current)
            {
                case Isa.Avx512: job.Run<Vector512<double>, Lanes512>(g, t, st); break;
                case Isa.Avx2: job.Run<Vector256<double>, Lanes256>(g, t, st); break;
                default: job.Run<Vector128<double>, Lanes128>(g, t, st); break;
            }
    }

    /// <summary>
    /// One call: input channels in blocks of <see cref="ChannelBlock"/>, re-laid as taps [channel][9][O] (output
    /// channels contiguous); then per channel and 32-wide panel, every point's row of the panel is computed into a
    /// small stage and copied out, so each point's row is written whole (the points lie a power-of-two apart and
    /// would otherwise evict each other's half-written cache lines).
    /// </summary>
    private readonly struct Job(WinogradTile tile, float* weights, int inChannels, int outChannels, int[] kStarts, float* dst)
    {
        /// <summary>Input channels re-laid at once: each output channel's 16 x 9 taps are 576 contiguous bytes.</summary>
        private const int ChannelBlock = 16;
        private readonly int _size = tile.Input, _points = tile.Points;
        private readonly long _pointFloats = PointFloats(inChannels, outChannels);
        private readonly int _padded = GemmLayout.PadColumns(outChannels);
        /// <summary>Row stride of taps: one cache line more than the panels so rows do not share cache sets.</summary>
        private readonly int _ldt = GemmLayout.PadColumns(outChannels) + 16;

        /// <summary>Every row of U starts at a multiple of 16 floats from dst: 32-byte stores are aligned if dst is.</summary>
        private readonly bool _streaming = Vector256.IsHardwareAccelerated && Sse.IsSupported && ((nint)dst & 31) == 0;

        public int TapsFloats => ChannelBlock * 9 * _ldt;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run<TVec, TLanes>(double* g, float* taps, float* stage)
            where TVec : unmanaged
            where TLanes : struct, ILanes<TVec>
        {
            for (int kb = 0; kb + 1 < kStarts.Length; kb++)
            {
                int k0 = kStarts[kb], k1 = kStarts[kb + 1];
                for (int c0 = k0; c0 < k1; c0 += ChannelBlock)
                {
                    int count = Math.Min(ChannelBlock, k1 - c0);
                    Relayout(c0, count, taps);
                    for (int c = c0; c < c0 + count; c++)
                        for (int panel = 0; panel < _padded; panel += GemmLayout.PanelWidth)
                        {
                            int width = Math.Min(GemmLayout.PanelWidth, _padded - panel);
                            ComputePanel<TVec, TLanes>(g, taps + (c - c0) * 9L * _ldt, panel, width, stage);
                            float* row = dst + (long)k0 * _padded + (long)panel * (k1 - k0) + (long)(c - k0) * width;
                            CopyOut(stage, row, width);
                        }
                }
            }
            // Streaming stores are weakly ordered: make them visible before U is published to other threads.
            if (_streaming) Sse.StoreFence();
        }

        /// <summary>Each point's staged row to its place; streaming stores when aligned (U is far larger than the
        /// caches: reading its lines in before overwriting them would only double the memory traffic).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void CopyOut(float* stage, float* row, int width)
        {
            if (_streaming)
            {
                for (int e = 0; e < _points; e++)
                {
                    float* from = stage + e * GemmLayout.PanelWidth, to = row + e * _pointFloats;
                    for (int k = 0; k < width; k += 8) Vector256.StoreAlignedNonTemporal(Vector256.Load(from + k), to + k);
                }
            }
            else
            {
                for (int e = 0; e < _points; e++)
                    Buffer.MemoryCopy(stage + e * GemmLayout.PanelWidth, row + e * _pointFloats, width * sizeof(float), width * sizeof(float));
            }
        }

        /// <summary>taps[k][i][o] = W[o][c0 + k][i] for k &lt; count: one contiguous read per output channel, by
        /// 8 x 8 transposes where AVX has them (only moves: the same bytes either way).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Relayout(int c0, int count, float* taps)
        {
            long stride = (long)inChannels * 9;
            int n = count * 9;
            float* w = weights + (long)c0 * 9;
            int o = 0;
            if (Transpose8x8.IsSupported)
                for (; o + 8 <= outChannels; o += 8, w += 8 * stride)
                {
                    int t = 0;
                    for (; t + 8 <= n; t += 8) Transpose8x8.Run(w + t, stride, taps + t * _ldt + o, _ldt);
                    for (; t < n; t++)
                        for (int r = 0; r < 8; r++) taps[t * _ldt + o + r] = w[r * stride + t];
                }
            for (; o < outChannels; o++, w += stride)
                for (int t = 0; t < n; t++) taps[t * _ldt + o] = w[t];
        }

        /// <summary>Stage[e][0, width) = U[e] of one channel for columns [panel, panel + width), zero past O.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void ComputePanel<TVec, TLanes>(double* g, float* taps, int panel, int width, float* stage)
            where TVec : unmanaged
            where TLanes : struct, ILanes<TVec>
        {
            int valid = Math.Min(width, outChannels - panel);
            int vectorEnd = valid - valid % TLanes.Count;
            int o = 0;
            for (; o < vectorEnd; o += TLanes.Count) TransformVector<TVec, TLanes>(g, taps + panel + o, stage + o);
            for (; o < valid; o++) TransformScalar(g, taps + panel + o, stage + o);
            if (valid < width)
                for (int e = 0; e < _points; e++) new Span<float>(stage + e * GemmLayout.PanelWidth + valid, width - valid).Clear();
        }

        /// <summary>G g G^T for TLanes.Count output channels; row i of G g is computed, then used for row i of U.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void TransformVector<TVec, TLanes>(double* g, float* taps, float* u)
            where TVec : unmanaged
            where TLanes : struct, ILanes<TVec>
        {
            int n = _ldt;
            TVec w0 = TLanes.Load(taps), w1 = TLanes.Load(taps + n), w2 = TLanes.Load(taps + 2 * n);
            TVec w3 = TLanes.Load(taps + 3 * n), w4 = TLanes.Load(taps + 4 * n), w5 = TLanes.Load(taps + 5 * n);
            TVec w6 = TLanes.Load(taps + 6 * n), w7 = TLanes.Load(taps + 7 * n), w8 = TLanes.Load(taps + 8 * n);
            for (int i = 0; i < _size; i++)
            {
                TVec a = TLanes.Broadcast(g[i * 3]), b = TLanes.Broadcast(g[i * 3 + 1]), c = TLanes.Broadcast(g[i * 3 + 2]);
                // (G g)[i][col] = G[i,0] g[0][col] + G[i,1] g[1][col] + G[i,2] g[2][col], left to right.
                TVec r0 = TLanes.Add(TLanes.Add(TLanes.Multiply(a, w0), TLanes.Multiply(b, w3)), TLanes.Multiply(c, w6));
                TVec r1 = TLanes.Add(TLanes.Add(TLanes.Multiply(a, w1), TLanes.Multiply(b, w4)), TLanes.Multiply(c, w7));
                TVec r2 = TLanes.Add(TLanes.Add(TLanes.Multiply(a, w2), TLanes.Multiply(b, w5)), TLanes.Multiply(c, w8));
                for (int j = 0; j < _size; j++)
                {
                    TVec v = TLanes.Add(TLanes.Add(
                        TLanes.Multiply(r0, TLanes.Broadcast(g[j * 3])),
                        TLanes.Multiply(r1, TLanes.Broadcast(g[j * 3 + 1]))),
                        TLanes.Multiply(r2, TLanes.Broadcast(g[j * 3 + 2])));
                    TLanes.StoreFloats(v, u + (i * _size + j) * GemmLayout.PanelWidth);
                }
            }
        }

        /// <summary>The same arithmetic for one output channel (the channels after the last whole vector).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void TransformScalar(double* g, float* taps, float* u)
        {
            int n = _ldt;
            double w0 = taps[0], w1 = taps[n], w2 = taps[2 * n], w3 = taps[3 * n], w4 = taps[4 * n];
            double w5 = taps[5 * n], w6 = taps[6 * n], w7 = taps[7 * n], w8 = taps[8 * n];
            for (int i = 0; i < _size; i++)
            {
                double a = g[i * 3], b = g[i * 3 + 1], c = g[i * 3 + 2];
                double r0 = a * w0 + b * w3 + c * w6;
                double r1 = a * w1 + b * w4 + c * w7;
                double r2 = a * w2 + b * w5 + c * w8;
                for (int j = 0; j < _size; j++)
                    u[(i * _size + j) * GemmLayout.PanelWidth] = (float)(r0 * g[j * 3] + r1 * g[j * 3 + 1] + r2 * g[j * 3 + 2]);
            }
        }
    }

    /// <summary>Double vectors of one width: loads widen floats, stores narrow to floats (round to nearest even).</summary>
    private interface ILanes<TVec> where TVec : unmanaged
    {
        static abstract int Count { get; }
        static abstract TVec Load(float* p);
        static abstract TVec Broadcast(double value);
        static abstract TVec Multiply(TVec a, TVec b);
        static abstract TVec Add(TVec a, TVec b);
        static abstract void StoreFloats(TVec v, float* p);
    }

    private readonly struct Lanes512 : ILanes<Vector512<double>>
    {
        public static int Count => 8;
        public static Vector512<double> Load(float* p) => Avx512F.ConvertToVector512Double(Vector256.Load(p));
        public static Vector512<double> Broadcast(double value) => Vector512.Create(value);
        public static Vector512<double> Multiply(Vector512<double> a, Vector512<double> b) => a * b;
        public static Vector512<double> Add(Vector512<double> a, Vector512<double> b) => a + b;
        public static void StoreFloats(Vector512<double> v, float* p) => Avx512F.ConvertToVector256Single(v).Store(p);
    }

    private readonly struct Lanes256 : ILanes<Vector256<double>>
    {
        public static int Count => 4;
        public static Vector256<double> Load(float* p) => Avx.ConvertToVector256Double(Vector128.Load(p));
        public static Vector256<double> Broadcast(double value) => Vector256.Create(value);
        public static Vector256<double> Multiply(Vector256<double> a, Vector256<double> b) => a * b;
        public static Vector256<double> Add(Vector256<double> a, Vector256<double> b) => a + b;
        public static void StoreFloats(Vector256<double> v, float* p) => Avx.ConvertToVector128Single(v).Store(p);
    }

    private readonly struct Lanes128 : ILanes<Vector128<double>>
    {
        public static int Count => 2;
        public static Vector128<double> Load(float* p) => Vector128.Create((double)p[0], p[1]);
        public static Vector128<double> Broadcast(double value) => Vector128.Create(value);
        public static Vector128<double> Multiply(Vector128<double> a, Vector128<double> b) => a * b;
        public static Vector128<double> Add(Vector128<double> a, Vector128<double> b) => a + b;
        public static void StoreFloats(Vector128<double> v, float* p) =>
            *(long*)p = Vector128.Narrow(v, v).AsInt64().ToScalar();
    }
}
