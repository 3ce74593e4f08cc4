using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Atc.Runtime.MicroKernels;

/// <summary>
/// Channels-first depthwise convolution, one output plane at a time. The input plane is first copied into a
/// zero-bordered buffer (a scratch slot) so every tap of every output is in bounds; output rows are then computed
/// 8 at a time, each tap a contiguous (stride 1) or even-lane (stride 2) load times a broadcast weight, the last
/// step of a row overlapping the previous one (keeping only its new outputs) instead of falling back to scalar code.
/// </summary>
internal static unsafe class DepthwiseChannelsFirst
{
    /// <summary>Extra columns right of the padded input so an 8-wide (stride 2: 16-wide) load never leaves a row.</summary>
    private const int Slack = 16;

    public static (int Rows, int Columns) PaddedPlane(ConvGeometry g) => (
        Math.Max(g.InH + g.PH, (g.OutH - 1) * g.SH + (g.KH - 1) * g.DH + 1),
        Math.Max(g.InW + g.PW, (g.OutW - 1) * g.SW + (g.KW - 1) * g.DW + 1) + Slack);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Plane(ConvGeometry g, float* xPlane, float* w, float bias, float* rPlane, float* yPlane, float* padded,
        Activation activation, Isa isa)
    {
        var (rows, columns) = PaddedPlane(g);
        CopyPadded(xPlane, padded, g.InH, g.InW, g.PH, g.PW, rows, columns);
        // Geometry in locals: the loops below must not re-read it through the object.
        int kh = g.KH, kw = g.KW, sw = g.SW, dw = g.DW, dh = g.DH, sh = g.SH, outW = g.OutW;
        bool vector = isa != Isa.Portable && outW >= 8 && (sw == 1 || (sw == 2 && Avx2.IsSupported));
        bool threeByThree = kh == 3 && kw == 3;
        float* tail = stackalloc float[8];
        var lo = Vector256.Create(activation.Min);
        var hi = Vector256.Create(activation.Max);
        var b = Vector256.Create(bias);
        Vector256<float> w0 = default, w1 = default, w2 = default, w3 = default, w4 = default, w5 = default, w6 = default, w7 = default, w8 = default;
        if (threeByThree)
        {
            w0 = Vector256.Create(w[0]); w1 = Vector256.Create(w[1]); w2 = Vector256.Create(w[2]);
            w3 = Vector256.Create(w[3]); w4 = Vector256.Create(w[4]); w5 = Vector256.Create(w[5]);
            w6 = Vector256.Create(w[6]); w7 = Vector256.Create(w[7]); w8 = Vector256.Create(w[8]);
        }

        for (int oh = 0; oh < g.OutH; oh++)
        {
            float* top = padded + (long)oh * sh * columns;
            float* yRow = yPlane + (long)oh * outW;
            float* rRow = rPlane == null ? null : rPlane + (long)oh * outW;
            if (!vector)
            {
                Scalar(top, columns, w, bias, rRow, yRow, activation, kh, kw, sw, dh, dw, outW);
                continue;
            }
            for (int step = 0; step < outW; step += 8)
            {
                int o = Math.Min(step, outW - 8);
                float* r0 = top + (long)o * sw;
                Vector256<float> acc;
                if (threeByThree)
                {
                    float* r1 = r0 + (long)dh * columns, r2 = r1 + (long)dh * columns;
                    acc = Vector256.MultiplyAddEstimate(Load(r0, sw), w0, b);
                    acc = Vector256.MultiplyAddEstimate(Load(r0 + dw, sw), w1, acc);
                    acc = Vector256.MultiplyAddEstimate(Load(r0 + 2 * dw, sw), w2, acc);
                    acc = Vector256.MultiplyAddEstimate(Load(r1, sw), w3, acc);
                    acc = Vector256.MultiplyAddEstimate(Load(r1 + dw, sw), w4, acc);
                    acc = Vector256.MultiplyAddEstimate(Load(r1 + 2 * dw, sw), w5, acc);
                    acc = Vector256.MultiplyAddEstimate(Load(r2, sw), w6, acc);
                    acc = Vector256.MultiplyAddEstimate(Load(r2 + dw, sw), w7, acc);
                    acc = Vector256.MultiplyAddEstimate(Load(r2 + 2 * dw, sw), w8, acc);
                }
                else
                {
                    acc = b;
                    for (int i = 0; i < kh; i++)
                    {
                        float* r = r0 + (long)i * dh * columns;
                        for (int j = 0; j < kw; j++) acc = Vector256.MultiplyAddEstimate(Load(r + j * dw, sw), Vector256.Create(w[i * kw + j]), acc);
                    }
                }
                if (rRow != null) acc += Vector256.Load(rRow + o);
                if (activation.IsClamp) acc = Vector256.MinNative(Vector256.MaxNative(acc, lo), hi);
                if (o == step)
                {
                    acc.Store(yRow + o);
                }
                else
                {
                    // The last step overlaps the previous one: keep only its new outputs (Y may alias the residual).
                    acc.Store(tail);
                    for (int i = step - o; i < 8; i++) yRow[o + i] = tail[i];
                }
            }
        }
    }

    /// <summary>Copies a plane into the middle of a zero-bordered buffer (pad rows above, pad columns left).</summary>
    private static void CopyPadded(float* x, float* padded, int inH, int inW, int padH, int padW, int rows, int columns)
    {
        new Span<float>(padded, padH * columns).Clear();
        for (int i = 0; i < inH; i++)
        {
            float* d = padded + (long)(padH + i) * columns;
            new Span<float>(d, padW).Clear();
            new ReadOnlySpan<float>(x + (long)i * inW, inW).CopyTo(new Span<float>(d + padW, inW));
            new Span<float>(d + padW + inW, columns - padW - inW).Clear();
        }
        int below = rows - padH - inH;
        if (below > 0) new Span<float>(padded + (long)(padH + inH) * columns, below * columns).Clear();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Load(float* p, int stride) => stride == 1 ? Vector256.Load(p) : LoadEvens(p);

    /// <summary>p[0], p[2], ..., p[14]: two loads and a shuffle.</summary>
    private static Vector256<float> LoadEvens(float* p)
    {
        var s = Avx.Shuffle(Avx.LoadVector256(p), Avx.LoadVector256(p + 8), 0x88);
        return Avx2.Permute4x64(s.AsDouble(), 0xD8).AsSingle();
    }

    private static void Scalar(float* top, int columns, float* w, float bias, float* rRow, float* yRow, Activation activation,
        int kh, int kw, int sw, int dh, int dw, int outW)
    {
        for (int o = 0; o < outW; o++)
        {
            float acc = bias;
            for (int i = 0; i < kh; i++)
            {
                float* r = top + (long)i * dh * columns + (long)o * sw;
                for (int j = 0; j < kw; j++) acc = MathF.FusedMultiplyAdd(r[j * dw], w[i * kw + j], acc);
            }
            if (rRow != null) acc += rRow[o];
            yRow[o] = activation.Apply(acc);
        }
    }
}
