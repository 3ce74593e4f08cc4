namespace Atc.Compiler.Frontends.Caffe.Layers;

/// <summary>Convolution and Deconvolution (ONNX Conv / ConvTranspose, same OIHW / IOHW weight layouts as Caffe) and
/// InnerProduct (Gemm on the flattened bottom, or MatMul + Add when the product starts after axis 1).</summary>
internal static class ConvolutionLayers
{
    public static void Register(IDictionary<string, Action<CaffeLayer>> table)
    {
        table["Convolution"] = Convolution;
        table["Deconvolution"] = Deconvolution;
        table["InnerProduct"] = InnerProduct;
    }

    private static void Convolution(CaffeLayer layer) => Window(layer, transposed: false);

    private static void Deconvolution(CaffeLayer layer) => Window(layer, transposed: true);

    private static void Window(CaffeLayer layer, bool transposed)
    {
        layer.RequireBottoms(1);
        var p = layer.Parameter.ConvolutionParam ?? new Proto.ConvolutionParameter();
        if (layer.Rank != 4 || p.Axis != 1)
            throw layer.Invalid(CaffeLayer.Shape(layer.BottomShape), "bottom", "only 2-D convolution over an N,C,H,W bottom (axis 1) is supported",
                "Reshape the bottom to 4 axes, or convert the model to ONNX.");
        var s = SpatialParameters.Of(p, layer);
        long channels = layer.BottomShape[1], outputs = p.NumOutput, group = p.Group;
        if (outputs == 0) throw layer.Invalid("0", "num_output", "the layer must have at least one output channel", "Set num_output.");
        if (group == 0 || channels % group != 0 || outputs % group != 0)
            throw layer.Invalid(group.ToString(System.Globalization.CultureInfo.InvariantCulture), "group",
                "group must divide both the input channels (" + channels + ") and num_output (" + outputs + ")", "Set group to a common divisor of both.");

        // Caffe's Convolution weights are [num_output, C/group, kh, kw]; Deconvolution's [C, num_output/group, kh, kw]:
        // ONNX Conv's and ConvTranspose's layouts exactly.
        long[] weightDims = transposed ? [channels, outputs / group, s.KernelH, s.KernelW] : [outputs, channels / group, s.KernelH, s.KernelW];
        var inputs = new List<string> { layer.Bottom, layer.Writer.Floats(layer.Inner("weight"), layer.Blob(0, "weights", weightDims), weightDims) };
        if (p.BiasTerm) inputs.Add(layer.Writer.Floats(layer.Inner("bias"), layer.Blob(1, "bias", outputs), outputs));

        long h = layer.BottomShape[2], w = layer.BottomShape[3];
        long extentH = s.DilationH * (s.KernelH - 1) + 1, extentW = s.DilationW * (s.KernelW - 1) + 1;
        long[] top = transposed
            ? [layer.BottomShape[0], outputs, s.StrideH * (h - 1) + extentH - 2 * s.PadH, s.StrideW * (w - 1) + extentW - 2 * s.PadW]
            : [layer.BottomShape[0], outputs, (h + 2 * s.PadH - extentH) / s.StrideH + 1, (w + 2 * s.PadW - extentW) / s.StrideW + 1];
        layer.SetTop(0, top);
        layer.Writer.Node(layer.Name, transposed ? "ConvTranspose" : "Conv", inputs, [layer.TopNames[0]],
            ("kernel_shape", s.Kernel), ("strides", s.Strides), ("pads", s.Pads), ("dilations", s.Dilations), ("group", group));
    }

    private static void InnerProduct(CaffeLayer layer)
    {
        layer.RequireBottoms(1);
        var p = layer.Parameter.InnerProductParam ?? new Proto.InnerProductParameter();
        int axis = layer.Axis(p.Axis, "axis");
        long outputs = p.NumOutput;
        if (outputs == 0) throw layer.Invalid("0", "num_output", "the layer must have at least one output", "Set num_output.");
        long k = 1;
        for (int i = axis; i < layer.Rank; i++) k *= layer.BottomShape[i];
        // Caffe stores [num_output, K] (transpose: false) or [K, num_output] (transpose: true).
        var weights = layer.Blob(0, "weights", p.Transpose ? [k, outputs] : [outputs, k]);
        float[]? bias = p.BiasTerm ? layer.Blob(1, "bias", outputs) : null;
        layer.SetTop(0, [.. layer.BottomShape.Take(axis), outputs]);

        if (axis == 1)
        {
            // The classic form: flatten N x (C*H*W) and one Gemm, which the compiler runs on prepacked weights.
            var flat = layer.Rank == 2 ? layer.Bottom : layer.Writer.Node(layer.Inner("flatten"), "Flatten", [layer.Bottom], ("axis", 1L));
            var inputs = new List<string> { flat, layer.Writer.Floats(layer.Inner("weight"), weights, p.Transpose ? [k, outputs] : [outputs, k]) };
            if (bias is not null) inputs.Add(layer.Writer.Floats(layer.Inner("bias"), bias, outputs));
            layer.Writer.Node(layer.Name, "Gemm", inputs, [layer.TopNames[0]], ("transB", p.Transpose ? 0L : 1L));
            return;
        }
        // Leading axes kept: Reshape to [d0..d(axis-1), K] (0 copies a leading dim, so batch gears still work), MatMul by [K, N].
        long[] shape = [.. Enumerable.Repeat(0L, axis), -1];
        var lumped = layer.Writer.Node(layer.Inner("reshape"), "Reshape", [layer.Bottom, layer.Writer.Int64s(layer.Inner("shape"), shape)]);
        var kByN = p.Transpose ? weights : Transposed(weights, outputs, k);
        var product = layer.Writer.Floats(layer.Inner("weight"), kByN, k, outputs);
        if (bias is null)
        {
            layer.Writer.Node(layer.Name, "MatMul", [lumped, product], [layer.TopNames[0]]);
            return;
        }
        var matmul = layer.Writer.Node(layer.Inner("matmul"), "MatMul", [lumped, product]);
        layer.Writer.Node(layer.Name, "Add", [matmul, layer.Writer.Floats(layer.Inner("bias"), bias, outputs)], [layer.TopNames[0]]);
    }

    private static float[] Transposed(float[] rowsByColumns, long rows, long columns)
    {
        var result = new float[rowsByColumns.Length];
        for (long r = 0; r < rows; r++)
            for (long c = 0; c < columns; c++)
                result[c * rows + r] = rowsByColumns[r * columns + c];
        return result;
    }
}
