using Atc.Runtime;

namespace Atc.TestModels.Onnx;

/// <summary>
/// Dense-prediction models of the zoo (issue 12): a U-Net segmenter (ConvTranspose and bilinear Resize up-sampling,
/// skip Concats) and a YOLO-like detector (Conv-BN-SiLU, SPPF, nearest Resize neck, head Reshape/Transpose). Opset
/// 13, input <see cref="OnnxModels.InputName"/>, output <see cref="OnnxModels.OutputName"/>, symbolic batch.
/// </summary>
public static class OnnxZooDensePredictionModels
{
    /// <summary>Image side, classes and output shape (after the batch) of <see cref="UNet"/>.</summary>
    public const int UNetSize = 128, UNetClasses = 2;

    /// <summary>Image side, classes, anchors per cell and boxes per image of <see cref="YoloLike"/>.</summary>
    public const int YoloSize = 256, YoloClasses = 16, YoloAnchors = 3;

    /// <summary>Box rows per image of <see cref="YoloLike"/>: 3 anchors on the 16x16 and the 8x8 grid.</summary>
    public const int YoloBoxes = YoloAnchors * (16 * 16 + 8 * 8);

    /// <summary>A U-Net on [N,3,128,128]: encoder of double 3x3 Conv-BN-ReLU (16/32/64, bottleneck 128) with max
    /// pools; decoder up-sampling by ConvTranspose 2x2/2, bilinear Resize ×2 and ConvTranspose again, each followed by
    /// the skip Concat and a double conv; 1x1 conv to <see cref="UNetClasses"/> → [N,2,128,128].</summary>
    public static byte[] UNet(int seed = 64)
    {
        var b = new OnnxModelBuilder(opset: 13, seed) { GraphName = "unet" };
        var l = new CnnLayers(b);
        string x = b.Input(OnnxModels.InputName, DataType.Float32, CnnLayers.ImageDims(3, UNetSize));
        int[] widths = [16, 32, 64];
        var skips = new List<string>();
        int inChannels = 3;
        for (int level = 0; level < widths.Length; level++)
        {
            x = DoubleConv(l, x, $"down{level}", inChannels, widths[level], afterInput: level == 0);
            skips.Add(x);
            x = l.MaxPool(x, $"down{level}.pool", 2, 2, 0);
            inChannels = widths[level];
        }
        x = DoubleConv(l, x, "bottleneck", inChannels, 2 * inChannels);
        inChannels *= 2;
        for (int level = widths.Length - 1; level >= 0; level--)
        {
            string name = $"up{level}";
            int width = widths[level];
            // The middle level up-samples by interpolation (then keeps its channels), the others by a learned ConvTranspose.
            bool bilinear = level == 1;
            string up = bilinear
                ? l.Upsample(x, $"{name}.resize", 2f, bilinear: true)
                : l.ConvTranspose(x, $"{name}.up", inChannels, width, 2, 2);
            int upChannels = bilinear ? inChannels : width;
            x = DoubleConv(l, l.Concat($"{name}.concat", 1, skips[level], up), name, width + upChannels, width);
            inChannels = width;
        }
        string logits = l.Conv(x, "outc", inChannels, UNetClasses, 1, bias: true);
        b.AddNode("Identity", [logits], [OnnxModels.OutputName], "output_identity");
        b.Output(OnnxModels.OutputName, DataType.Float32, "N", UNetClasses, UNetSize, UNetSize);
        return b.ToBytes();
    }

    /// <summary>A YOLOv5-like detector on [N,3,256,256]: Conv-BN-SiLU backbone with stride-2 convs and residual
    /// bottlenecks down to 8x8, SPPF (three 5x5 max pools, Concat), a neck that up-samples P5 by nearest Resize and
    /// concatenates P4, two detection heads (1x1 conv to 3·(5+16) channels, Reshape [N,3,21,H,W], Transpose to
    /// [N,3,H,W,21], Reshape [N,3·H·W,21], Sigmoid), Concat → [N,960,21].</summary>
    public static byte[] YoloLike(int seed = 5)
    {
        var b = new OnnxModelBuilder(opset: 13, seed) { GraphName = "yolo_like" };
        var l = new CnnLayers(b);
        string ConvSilu(string v, string name, int inC, int outC, int k, int stride = 1, bool afterInput = false)
            => l.ConvNormAct(v, name, inC, outC, k, stride, activation: CnnLayers.Activation.Silu, afterInput: afterInput);
        string Bottleneck(string v, string name, int channels)
            => l.Add(v, ConvSilu(ConvSilu(v, $"{name}.cv1", channels, channels, 1), $"{name}.cv2", channels, channels, 3), $"{name}.add");

        string x = b.Input(OnnxModels.InputName, DataType.Float32, CnnLayers.ImageDims(3, YoloSize));
        x = ConvSilu(x, "model.0", 3, 16, 3, 2, afterInput: true);        // 128
        x = ConvSilu(x, "model.1", 16, 32, 3, 2);                         // 64
        x = Bottleneck(x, "model.2", 32);
        x = ConvSilu(x, "model.3", 32, 64, 3, 2);                         // 32
        x = Bottleneck(x, "model.4", 64);
        string p4 = Bottleneck(ConvSilu(x, "model.5", 64, 128, 3, 2), "model.6", 128);   // 16
        x = ConvSilu(p4, "model.7", 128, 256, 3, 2);                      // 8
        x = Sppf(l, ConvSilu, x, "model.8", 256);
        string p5 = ConvSilu(x, "model.9", 256, 128, 1);
        string up = l.Upsample(p5, "model.10", 2f, bilinear: false);
        string n4 = ConvSilu(l.Concat("model.11", 1, up, p4), "model.12", 256, 128, 3);
        string boxes16 = DetectHead(b, l, n4, "model.13.m.0", 128, 16);
        string boxes8 = DetectHead(b, l, p5, "model.13.m.1", 128, 8);
        b.AddNode("Concat", [boxes16, boxes8], [OnnxModels.OutputName], "model.13.concat", "", ("axis", 1));
        b.Output(OnnxModels.OutputName, DataType.Float32, "N", YoloBoxes, 5 + YoloClasses);
        return b.ToBytes();
    }

    private static string DoubleConv(CnnLayers l, string x, string name, int inChannels, int outChannels, bool afterInput = false)
        => l.ConvNormAct(l.ConvNormAct(x, $"{name}.conv1", inChannels, outChannels, 3, afterInput: afterInput), $"{name}.conv2", outChannels, outChannels, 3);

    /// <summary>SPPF: 1x1 halving conv, three chained 5x5/1 max pools, Concat of the four, 1x1 conv back.</summary>
    private static string Sppf(CnnLayers l, Func<string, string, int, int, int, int, bool, string> convSilu, string x, string name, int channels)
    {
        int half = channels / 2;
        string a = convSilu(x, $"{name}.cv1", channels, half, 1, 1, false);
        string p1 = l.MaxPool(a, $"{name}.m1", 5, 1, 2), p2 = l.MaxPool(p1, $"{name}.m2", 5, 1, 2), p3 = l.MaxPool(p2, $"{name}.m3", 5, 1, 2);
        return convSilu(l.Concat($"{name}.concat", 1, a, p1, p2, p3), $"{name}.cv2", 4 * half, channels, 1, 1, false);
    }

    /// <summary>One YOLOv5 Detect level: 1x1 conv (bias) → view [N,A,5+C,H,W] → permute(0,1,3,4,2) → Sigmoid → view [N,A·H·W,5+C].</summary>
    private static string DetectHead(OnnxModelBuilder b, CnnLayers l, string x, string name, int channels, int grid)
    {
        const int perAnchor = 5 + YoloClasses;
        x = l.Conv(x, name, channels, YoloAnchors * perAnchor, 1, bias: true);
        x = b.NamedNode($"{name}.view", "Reshape", [x, b.Int64s($"{name}.view_shape", 0, YoloAnchors, perAnchor, grid, grid)]);
        x = b.NamedNode($"{name}.permute", "Transpose", [x], ("perm", new long[] { 0, 1, 3, 4, 2 }));
        x = b.NamedNode($"{name}.sigmoid", "Sigmoid", [x]);
        return b.NamedNode($"{name}.flatten", "Reshape", [x, b.Int64s($"{name}.flat_shape", 0, YoloAnchors * grid * grid, perAnchor)]);
    }
}
