namespace Atc.Tests.NeuralNet;

/// <summary>A Conv test configuration in channels-first terms; pads are all begins then all ends.</summary>
public sealed record ConvCase(string Name, int[] X, int O, int[] Kernel, int Group = 1, int[]? Strides = null,
    int[]? Dilations = null, int[]? Pads = null, string AutoPad = "NOTSET", bool Bias = true, bool Residual = false,
    string Activation = "", float ClipMin = float.NegativeInfinity, float ClipMax = float.PositiveInfinity)
{
    public int Rank => X.Length - 2;
    public int[] StridesOrOnes => Strides ?? Enumerable.Repeat(1, Rank).ToArray();
    public int[] DilationsOrOnes => Dilations ?? Enumerable.Repeat(1, Rank).ToArray();

    /// <summary>Begin pads and output sizes, computed here independently of the runtime.</summary>
    public (int[] PadsBegin, int[] Output) Resolve()
    {
        var begin = new int[Rank];
        var output = new int[Rank];
        for (int i = 0; i < Rank; i++)
        {
            int input = X[2 + i], s = StridesOrOnes[i], extent = (Kernel[i] - 1) * DilationsOrOnes[i] + 1;
            switch (AutoPad)
            {
                case "SAME_UPPER":
                case "SAME_LOWER":
                    output[i] = (input + s - 1) / s;
                    int total = Math.Max(0, (output[i] - 1) * s + extent - input);
                    begin[i] = AutoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
                    break;
                case "VALID":
                    output[i] = (input - extent) / s + 1;
                    break;
                default:
                    int pb = Pads?[i] ?? 0, pe = Pads?[Rank + i] ?? 0;
                    begin[i] = pb;
                    output[i] = (input + pb + pe - extent) / s + 1;
                    break;
            }
        }
        return (begin, output);
    }

    public static readonly ConvCase[] All =
    [
        new("3x3 pad 1", [2, 5, 7, 9], 13, [3, 3], Pads: [1, 1, 1, 1]),
        new("stride, dilation, asymmetric pads", [1, 4, 11, 10], 6, [3, 2], Strides: [2, 3], Dilations: [2, 1], Pads: [1, 0, 2, 1]),
        new("dilated 3x3", [1, 6, 9, 10], 5, [3, 3], Dilations: [2, 3], Pads: [2, 3, 2, 3]),
        new("groups", [2, 6, 6, 5], 9, [3, 3], Group: 3, Pads: [1, 1, 1, 1]),
        new("depthwise 3x3", [1, 8, 10, 9], 8, [3, 3], Group: 8, Pads: [1, 1, 1, 1]),
        new("depthwise 3x3 stride 2", [2, 16, 9, 12], 16, [3, 3], Group: 16, Strides: [2, 2], Pads: [0, 1, 1, 0]),
        new("depthwise 3x3 wide rows", [1, 40, 9, 37], 40, [3, 3], Group: 40, Pads: [1, 1, 1, 1], Activation: "Relu"),
        new("depthwise 3x3 stride 2 wide rows", [1, 20, 11, 40], 20, [3, 3], Group: 20, Strides: [2, 2], Pads: [1, 1, 1, 1], Residual: true),
        new("depthwise 3x3 dilated wide rows", [2, 24, 10, 30], 24, [3, 3], Group: 24, Dilations: [2, 2], Pads: [2, 1, 2, 3]),
        new("depthwise 5x5 dilated", [1, 9, 12, 11], 9, [5, 5], Group: 9, Dilations: [2, 2], Pads: [4, 4, 4, 4]),
        new("depthwise multiplier 2", [1, 4, 7, 7], 8, [3, 3], Group: 4, Pads: [1, 1, 1, 1]),
        new("depthwise residual relu", [1, 12, 6, 7], 12, [3, 3], Group: 12, Pads: [1, 1, 1, 1], Residual: true, Activation: "Relu"),
        new("pointwise", [2, 37, 5, 6], 45, [1, 1]),
        new("pointwise deep K, residual, relu", [1, 700, 4, 5], 70, [1, 1], Residual: true, Activation: "Relu"),
        new("pointwise small image", [2, 40, 3, 5], 50, [1, 1], Residual: true, Activation: "Relu"),
        new("pointwise strided", [1, 20, 9, 9], 24, [1, 1], Strides: [2, 2]),
        new("deep 3x3", [1, 300, 5, 4], 33, [3, 3], Pads: [1, 1, 1, 1]),
        new("very deep 3x3", [1, 600, 4, 3], 20, [3, 3], Pads: [1, 1, 1, 1]),
        new("first layer 7x7 stride 2", [1, 3, 23, 21], 16, [7, 7], Strides: [2, 2], Pads: [3, 3, 3, 3]),
        new("1-D", [2, 6, 17], 7, [5], Strides: [2], Pads: [2, 1]),
        new("3-D", [1, 4, 5, 6, 7], 5, [3, 2, 3], Strides: [1, 2, 1], Dilations: [1, 1, 2], Pads: [1, 0, 1, 1, 1, 0]),
        new("3-D few channels", [2, 3, 4, 5, 6], 4, [2, 3, 3], Strides: [2, 1, 2], Pads: [1, 1, 0, 0, 1, 2]),
        new("3-D depthwise", [1, 4, 5, 5, 5], 4, [3, 3, 3], Group: 4, Pads: [1, 1, 1, 1, 1, 1]),
        new("SAME_UPPER stride 2", [1, 3, 10, 11], 4, [3, 3], Strides: [2, 2], AutoPad: "SAME_UPPER"),
        new("SAME_LOWER stride 2", [1, 3, 10, 11], 4, [4, 4], Strides: [2, 2], AutoPad: "SAME_LOWER"),
        new("VALID stride 2", [1, 3, 10, 11], 4, [3, 3], Strides: [2, 2], AutoPad: "VALID"),
        new("no bias, residual, clip", [2, 8, 6, 6], 12, [3, 3], Pads: [1, 1, 1, 1], Bias: false, Residual: true,
            Activation: "Clip", ClipMin: -0.5f, ClipMax: 0.7f),
        new("many tiles", [1, 16, 40, 40], 40, [3, 3], Pads: [1, 1, 1, 1]),
        new("wide output channels", [1, 24, 6, 5], 300, [3, 3], Pads: [1, 1, 1, 1], Activation: "Relu"),
    ];

    public static ConvCase Named(string name) => All.Single(c => c.Name == name);

    public override string ToString() => Name;
}
