using Atc.Compiler.Frontends.Caffe.Proto;

namespace Atc.Compiler.Frontends.Caffe.Layers;

/// <summary>Pooling (MAX / AVE, global, Caffe's ceil rounding) and LRN across channels.</summary>
internal static class PoolingLayers
{
    public static void Register(IDictionary<string, Action<CaffeLayer>> table)
    {
        table["Pooling"] = Pooling;
        table["LRN"] = Lrn;
    }

    private static void Pooling(CaffeLayer layer)
    {
        layer.RequireBottoms(1);
        if (layer.Rank != 4)
            throw layer.Invalid(CaffeLayer.Shape(layer.BottomShape), "bottom", "pooling needs an N,C,H,W bottom", "Reshape the bottom to 4 axes.");
        var p = layer.Parameter.PoolingParam ?? new PoolingParameter();
        if (p.Pool == PoolingParameter.Types.PoolMethod.Stochastic)
            throw layer.Invalid("STOCHASTIC", "pool", "stochastic pooling is a training-time method", "Use pool: MAX or AVE for inference.");
        bool max = p.Pool == PoolingParameter.Types.PoolMethod.Max;
        var s = SpatialParameters.Of(p, layer);
        if (s.PadH >= s.KernelH || s.PadW >= s.KernelW)
            throw layer.Invalid(s.PadH + "," + s.PadW, "pad", "Caffe requires the padding to be smaller than the kernel (" + s.KernelH + "," + s.KernelW + ")", "Reduce pad.");
        long[] top = [layer.BottomShape[0], layer.BottomShape[1], Pooled(layer.BottomShape[2], s.KernelH, s.StrideH, s.PadH), Pooled(layer.BottomShape[3], s.KernelW, s.StrideW, s.PadW)];
        layer.SetTop(0, top);

        if (p.GlobalPooling)
        {
            layer.Writer.Node(layer.Name, max ? "GlobalMaxPool" : "GlobalAveragePool", [layer.Bottom], [layer.TopNames[0]]);
            return;
        }
        // Caffe rounds the output size up and then drops a last window that would start in the end padding; ONNX's
        // ceil_mode does the same (the runtime's SpatialWindow and ONNX Runtime alike). AVE divides by the window
        // clipped to the padded input, which is ONNX's count_include_pad=1.
        if (max)
            layer.Writer.Node(layer.Name, "MaxPool", [layer.Bottom], [layer.TopNames[0]],
                ("kernel_shape", s.Kernel), ("strides", s.Strides), ("pads", s.Pads), ("ceil_mode", 1L));
        else
            layer.Writer.Node(layer.Name, "AveragePool", [layer.Bottom], [layer.TopNames[0]],
                ("kernel_shape", s.Kernel), ("strides", s.Strides), ("pads", s.Pads), ("ceil_mode", 1L), ("count_include_pad", 1L));
    }

    /// <summary>Caffe's pooled size: ceil((in + 2 pad - kernel) / stride) + 1, minus one when padded and the last
    /// window would start at or past the end of the input plus padding.</summary>
    public static long Pooled(long size, long kernel, long stride, long pad)
    {
        long pooled = (size + 2 * pad - kernel + stride - 1) / stride + 1;
        if (pad > 0 && (pooled - 1) * stride >= size + pad) pooled--;
        return pooled;
    }

    private static void Lrn(CaffeLayer layer)
    {
        layer.RequireBottoms(1);
        var p = layer.Parameter.LrnParam ?? new LRNParameter();
        if (p.NormRegion != LRNParameter.Types.NormRegion.AcrossChannels)
            throw layer.Invalid("WITHIN_CHANNEL", "norm_region", "only LRN across channels is supported", "Use norm_region: ACROSS_CHANNELS, or convert the model to ONNX.");
        if (p.LocalSize % 2 == 0)
            throw layer.Invalid(p.LocalSize.ToString(System.Globalization.CultureInfo.InvariantCulture), "local_size", "Caffe requires an odd local_size", "Use an odd local_size such as 5.");
        layer.SetTop(0, layer.BottomShape);
        // Caffe: x / (k + alpha / n * sum(x^2))^beta over n channels; ONNX LRN is the same formula.
        layer.Writer.Node(layer.Name, "LRN", [layer.Bottom], [layer.TopNames[0]],
            ("size", (long)p.LocalSize), ("alpha", p.Alpha), ("beta", p.Beta), ("bias", p.K));
    }
}
