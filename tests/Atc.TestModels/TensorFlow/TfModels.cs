namespace Atc.TestModels.TensorFlow;

/// <summary>
/// Ready-made frozen GraphDefs shaped like real TensorFlow exports: NHWC input [-1, H, W, 3], Conv2D + FusedBatchNormV3
/// blocks, global mean, a dynamic-batch flatten (Shape → StridedSlice → Pack → Reshape), dense layer and Softmax.
/// Weights are He-initialised from a fixed seed so activations stay O(1) and files are reproducible.
/// </summary>
public static class TfModels
{
    /// <summary>ResNet-50's topology (53 Conv2D, 1 MatMul) at full width: ~25M parameters, ~100 MB.</summary>
    public static TfModel ResNet50(string inputName = "Inputs") => ResNet(new TfResNetOptions { InputName = inputName });

    /// <summary>A small bottleneck ResNet (one block per stage, width 8) for fast tests; same input and output as ResNet-50.</summary>
    public static TfModel SmallResNet(string inputName = "Inputs") => ResNet(new TfResNetOptions
    {
        InputName = inputName, BlocksPerStage = [1, 1, 1, 1], BaseWidth = 8, Classes = 10, Seed = 18,
    });

    public static TfModel ResNet(TfResNetOptions o)
    {
        var b = new TfGraphBuilder(o.Seed);
        long[] inputShape = [-1, o.ImageSize, o.ImageSize, 3];
        var x = b.Placeholder(o.InputName, inputShape);

        // Stem: explicit Pad + VALID 7x7/2 as TF-slim's conv2d_same writes it, then 3x3/2 max pool.
        x = b.Pad("resnet/conv1/Pad", x, [[0, 0], [3, 3], [3, 3], [0, 0]]);
        int stemWidth = o.BaseWidth;
        var stemWeights = b.HeWeights("resnet/conv1/weights", [7, 7, 3, stemWidth], 7 * 7 * 3);
        x = b.Conv2D("resnet/conv1/Conv2D", x, stemWeights, stride: 2, padding: "VALID");
        x = b.Relu("resnet/conv1/Relu", b.BatchNorm("resnet/conv1/BatchNorm", x, stemWidth));
        x = b.MaxPool("resnet/pool1/MaxPool", x, kernel: 3, stride: 2, padding: "SAME");

        int channels = stemWidth;
        for (int stage = 0; stage < o.BlocksPerStage.Length; stage++)
        {
            int width = o.BaseWidth << stage;
            for (int unit = 0; unit < o.BlocksPerStage[stage]; unit++)
            {
                int stride = stage > 0 && unit == 0 ? 2 : 1;
                x = Bottleneck(b, $"resnet/block{stage + 1}/unit_{unit + 1}", x, channels, width, stride);
                channels = width * 4;
            }
        }
        Head(b, x, channels, o.Classes, o.OutputName);
        return new TfModel("resnet", b.ToBytes(), o.InputName, inputShape, o.OutputName);
    }

    private static string Bottleneck(TfGraphBuilder b, string prefix, string x, int inChannels, int width, int stride)
    {
        int outChannels = width * 4;
        var shortcut = stride == 1 && inChannels == outChannels ? x
            : b.ConvBn(prefix + "/shortcut", x, 1, inChannels, outChannels, stride, activation: null);
        var y = b.ConvBn(prefix + "/conv1", x, 1, inChannels, width);
        y = b.ConvBn(prefix + "/conv2", y, 3, width, width, stride);
        // A damped last batch norm keeps the sum of many residual branches O(1).
        y = b.ConvBn(prefix + "/conv3", y, 1, width, outChannels, activation: null, gammaScale: 0.3);
        return b.Relu(prefix + "/Relu", b.AddV2(prefix + "/add", shortcut, y));
    }

    /// <summary>MobileNetV2 with its standard inverted-residual table (t, c, n, s).</summary>
    public static TfModel MobileNetV2(TfMobileNetV2Options? options = null)
    {
        var o = options ?? new TfMobileNetV2Options();
        (int Expansion, int Channels, int Repeats, int Stride)[] blocks =
            [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)];

        var b = new TfGraphBuilder(o.Seed);
        long[] inputShape = [-1, o.ImageSize, o.ImageSize, 3];
        var x = b.Placeholder(o.InputName, inputShape);
        int channels = Divisible(32 * o.WidthMultiplier);
        x = b.ConvBn("MobilenetV2/Conv", x, 3, 3, channels, stride: 2, activation: "Relu6");

        int index = 0;
        foreach (var (t, c, n, s) in blocks)
        {
            int outChannels = Divisible(c * o.WidthMultiplier);
            for (int i = 0; i < n; i++, index++)
            {
                string prefix = index == 0 ? "MobilenetV2/expanded_conv" : $"MobilenetV2/expanded_conv_{index}";
                int stride = i == 0 ? s : 1;
                var y = x;
                int hidden = channels * t;
                if (t != 1) y = b.ConvBn(prefix + "/expand", y, 1, channels, hidden, activation: "Relu6");
                y = b.DepthwiseBn(prefix + "/depthwise", y, 3, hidden, stride);
                y = b.ConvBn(prefix + "/project", y, 1, hidden, outChannels, activation: null, gammaScale: 0.5);
                x = stride == 1 && channels == outChannels ? b.AddV2(prefix + "/add", x, y) : y;
                channels = outChannels;
            }
        }
        int last = o.WidthMultiplier > 1.0 ? Divisible(1280 * o.WidthMultiplier) : 1280;
        x = b.ConvBn("MobilenetV2/Conv_1", x, 1, channels, last, activation: "Relu6");
        Head(b, x, last, o.Classes, o.OutputName);
        return new TfModel("mobilenetv2", b.ToBytes(), o.InputName, inputShape, o.OutputName);
    }

    /// <summary>Dense ReLU layers then a softmax classifier.</summary>
    public static TfModel Mlp(TfMlpOptions? options = null)
    {
        var o = options ?? new TfMlpOptions();
        var b = new TfGraphBuilder(o.Seed);
        long[] inputShape = [-1, o.InputSize];
        var x = b.Placeholder(o.InputName, inputShape);
        int features = o.InputSize;
        for (int i = 0; i < o.Hidden.Length; i++)
        {
            x = b.Relu($"dense_{i}/Relu", b.Dense($"dense_{i}", x, features, o.Hidden[i], gain: 2.0));
            features = o.Hidden[i];
        }
        var logits = b.Dense("logits", x, features, o.Classes);
        b.Softmax(o.OutputName, logits);
        return new TfModel("mlp", b.ToBytes(), o.InputName, inputShape, o.OutputName);
    }

    /// <summary>Global average pool (Mean over H, W keeping dims) → dynamic-batch flatten → dense → Softmax.</summary>
    private static void Head(TfGraphBuilder b, string x, int channels, int classes, string outputName)
    {
        var pooled = b.Mean("head/Mean", x, [1, 2], keepDims: true);
        var flat = b.FlattenDynamic("head/flatten", pooled, channels);
        var logits = b.Dense("head/logits", flat, channels, classes);
        b.Softmax(outputName, logits);
    }

    /// <summary>MobileNet's channel rounding: nearest multiple of 8, at least 8, never below 90% of the request.</summary>
    private static int Divisible(double value)
    {
        int rounded = Math.Max(8, (int)(value + 4) / 8 * 8);
        return rounded < 0.9 * value ? rounded + 8 : rounded;
    }
}
