namespace Atc.Benchmarks.Modes;

/// <summary>
/// Groups a step (this runtime) or a node (ONNX Runtime) into a class that means the same kernel in both: Conv by
/// kernel size, stride (input / output height) and depthwise-ness, other ops by type. Also the step's work:
/// 2 × multiply-accumulates of Conv (|Y| × I/group × k...) and of Gemm and MatMul (|Y| × K, K the last axis of A:
/// ONNX Runtime's profile omits prepacked weights, and transA does not occur in these models).
/// </summary>
public static class OpClass
{
    /// <param name="layout">"NCHW" or "NHWC" (this runtime's Conv attribute; ONNX Runtime reports NCHW shapes).</param>
    public static string Of(string opType, IReadOnlyList<int[]> inputs, IReadOnlyList<int[]> outputs, string layout = "NCHW")
    {
        if (!IsConv(opType) || inputs.Count < 2 || inputs[1].Length < 3 || outputs.Count == 0) return opType;
        int[] x = inputs[0], w = inputs[1], y = outputs[0];
        bool channelsLast = layout == "NHWC";
        int height = channelsLast ? 1 : 2, channel = channelsLast ? x.Length - 1 : 1;
        string kernel = string.Join("x", w[2..]);
        int stride = x.Length > height && y.Length > height && y[height] > 0 ? x[height] / y[height] : 1;
        bool depthwise = w[1] == 1 && x.Length > channel && x[channel] > 1;
        return $"Conv {kernel}" + (stride > 1 ? $" s{stride}" : "") + (depthwise ? " depthwise" : "");
    }

    public static double Flops(string opType, IReadOnlyList<int[]> inputs, IReadOnlyList<int[]> outputs)
    {
        if (outputs.Count == 0 || inputs.Count == 0) return 0;
        double y = ShapeText.ElementCount(outputs[0]);
        if (IsConv(opType) && inputs.Count > 1 && inputs[1].Length > 1) return 2 * y * (ShapeText.ElementCount(inputs[1]) / (double)inputs[1][0]);
        if (opType is "Gemm" or "FusedGemm" or "MatMul" or "FusedMatMul" && inputs[0].Length > 0) return 2 * y * inputs[0][^1];
        return 0;
    }

    private static bool IsConv(string opType) => opType is "Conv" or "FusedConv";
}
