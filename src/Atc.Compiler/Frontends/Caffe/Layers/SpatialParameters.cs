using Atc.Compiler.Frontends.Caffe.Proto;

namespace Atc.Compiler.Frontends.Caffe.Layers;

/// <summary>Kernel, stride, pad and dilation of a 2-D Caffe window in (h, w) order, from either of Caffe's forms:
/// the repeated value (one for both axes, or one per axis) or the *_h / *_w pair, which wins when given.</summary>
internal readonly record struct SpatialParameters(long KernelH, long KernelW, long StrideH, long StrideW, long PadH, long PadW, long DilationH, long DilationW)
{
    public static SpatialParameters Of(ConvolutionParameter p, CaffeLayer layer)
    {
        var (kh, kw) = p.HasKernelH || p.HasKernelW ? ((long)p.KernelH, (long)p.KernelW) : Pair(p.KernelSize, 0, layer, "kernel_size");
        var (sh, sw) = p.HasStrideH || p.HasStrideW ? ((long)p.StrideH, (long)p.StrideW) : Pair(p.Stride, 1, layer, "stride");
        var (ph, pw) = p.HasPadH || p.HasPadW ? ((long)p.PadH, (long)p.PadW) : Pair(p.Pad, 0, layer, "pad");
        var (dh, dw) = Pair(p.Dilation, 1, layer, "dilation");
        return Checked(new SpatialParameters(kh, kw, sh, sw, ph, pw, dh, dw), layer);
    }

    public static SpatialParameters Of(PoolingParameter p, CaffeLayer layer)
    {
        long kh = p.HasKernelH || p.HasKernelW ? p.KernelH : p.KernelSize, kw = p.HasKernelH || p.HasKernelW ? p.KernelW : p.KernelSize;
        long sh = p.HasStrideH || p.HasStrideW ? p.StrideH : p.Stride, sw = p.HasStrideH || p.HasStrideW ? p.StrideW : p.Stride;
        long ph = p.HasPadH || p.HasPadW ? p.PadH : p.Pad, pw = p.HasPadH || p.HasPadW ? p.PadW : p.Pad;
        if (p.GlobalPooling) (kh, kw, sh, sw) = (layer.BottomShape[2], layer.BottomShape[3], 1, 1);
        return Checked(new SpatialParameters(kh, kw, sh, sw, ph, pw, 1, 1), layer);
    }

    public long[] Kernel => [KernelH, KernelW];
    public long[] Strides => [StrideH, StrideW];
    public long[] Pads => [PadH, PadW, PadH, PadW];
    public long[] Dilations => [DilationH, DilationW];

    private static (long, long) Pair(IList<uint> values, long fallback, CaffeLayer layer, string name)
        => values.Count switch
        {
            0 => (fallback, fallback),
            1 => (values[0], values[0]),
            2 => (values[0], values[1]),
            _ => throw layer.Invalid(string.Join(",", values), name, "a 2-D layer takes one value for both axes or one per axis, not " + values.Count,
                "Give " + name + " once (both axes) or twice (height, width), or use " + name + "_h and " + name + "_w."),
        };

    private static SpatialParameters Checked(SpatialParameters s, CaffeLayer layer)
    {
        if (s.KernelH <= 0 || s.KernelW <= 0)
            throw layer.Invalid(s.KernelH + "," + s.KernelW, "kernel_size", "the kernel must be at least 1x1", "Set kernel_size (or kernel_h and kernel_w) to positive values.");
        if (s.StrideH <= 0 || s.StrideW <= 0)
            throw layer.Invalid(s.StrideH + "," + s.StrideW, "stride", "the stride must be at least 1", "Set stride (or stride_h and stride_w) to positive values.");
        if (s.DilationH <= 0 || s.DilationW <= 0)
            throw layer.Invalid(s.DilationH + "," + s.DilationW, "dilation", "the dilation must be at least 1", "Set dilation to positive values.");
        return s;
    }
}
