using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Atc.Runtime.Kernels;

/// <summary>
/// Channels-first depthwise convolution, one output plane at a time, vectorised along output rows: 8 outputs per
/// step, each kernel tap a (stride 1) contiguous or (stride 2) even-lane load times a broadcast weight. Rows in the
/// vertical padding read a zero row; columns near the edges are done one by one with bounds checks.
/// </summary>
internal static unsafe class DepthwiseChannelsFirst
{
    public static void Plane(ConvGeometry g, float* xPlane, float* w, float bias, float* rPlane, float* yPlane, float* zeroRow,
        Activation activation, Isa isa)
    {
        float** rows = stackalloc float*[g.KH];
        bool vector = isa != Isa.Portable && (g.SW == 1 || (g.SW == 2 && Avx2.IsSupported));
        int first = Math.Min(g.OutW, (g.PW + g.SW - 1) / g.SW);
        var lo = Vector256.Create(activation.Min);
        var hi = Vector256.Create(activation.Max);
        // Largest input column a vector step reads beyond its last output's window start.
        int reach = (g.KW - 1) * g.DW + (g.SW == 2 ? 1 : 0);
        for (int oh = 0; oh < g.OutH; oh++)
        {
            for (int kh = 0; kh < g.KH; kh++)
            {
                int ih = oh * g.SH - g.PH + kh * g.DH;
                rows[kh] = (uint)ih < (uint)g.InH ? xPlane + (long)ih * g.InW : zeroRow;
            }
            float* yRow = yPlane + (long)oh * g.OutW;
            float* rRow = rPlane == null ? null : rPlane + (long)oh * g.OutW;
            int o = first;
            if (vector)
            {
                for (; o + 8 <= g.OutW && (o + 7) * g.SW - g.PW + reach < g.InW; o += 8)
                {
                    var acc = Vector256.Create(bias);
                    for (int kh = 0; kh < g.KH; kh++)
                    {
                        float* r = rows[kh] + (long)o * g.SW - g.PW;
                        float* wk = w + kh * g.KW;
                        for (int kw = 0; kw < g.KW; kw++)
                        {
                            float* p = r + kw * g.DW;
                            var v = g.SW == 1 ? Vector256.Load(p) : LoadEvens(p);
                            acc = Vector256.MultiplyAddEstimate(v, Vector256.Create(wk[kw]), acc);
                        }
                    }
                    if (rRow != null) acc += Vector256.Load(rRow + o);
                    if (activation.IsClamp) acc = Vector256.MinNative(Vector256.MaxNative(acc, lo), hi);
                    acc.Store(yRow + o);
                }
            }
            else
            {
                o = 0;
            }
            Scalar(g, rows, w, bias, rRow, yRow, activation, 0, vector ? first : 0);
            Scalar(g, rows, w, bias, rRow, yRow, activation, o, g.OutW);
        }
    }

    /// <summary>p[0], p[2], ..., p[14]: two loads and a shuffle.</summary>
    private static Vector256<float> LoadEvens(float* p)
    {
        var s = Avx.Shuffle(Avx.LoadVector256(p), Avx.LoadVector256(p + 8), 0x88);
        return Avx2.Permute4x64(s.AsDouble(), 0xD8).AsSingle();
    }

    private static void Scalar(ConvGeometry g, float** rows, float* w, float bias, float* rRow, float* yRow, Activation activation, int o0, int o1)
    {
        for (int o = o0; o < o1; o++)
        {
            float acc = bias;
            int iw0 = o * g.SW - g.PW;
            for (int kh = 0; kh < g.KH; kh++)
                for (int kw = 0; kw < g.KW; kw++)
                {
                    int iw = iw0 + kw * g.DW;
                    if ((uint)iw < (uint)g.InW) acc = MathF.FusedMultiplyAdd(rows[kh][iw], w[kh * g.KW + kw], acc);
                }
            if (rRow != null) acc += rRow[o];
            yRow[o] = activation.Apply(acc);
        }
    }
}
