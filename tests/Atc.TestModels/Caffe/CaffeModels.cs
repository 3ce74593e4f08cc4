using Atc.Compiler.Frontends.Caffe.Proto;
using Op = Atc.Compiler.Frontends.Caffe.Proto.EltwiseParameter.Types.EltwiseOp;
using Op2 = Atc.Compiler.Frontends.Caffe.Proto.ReductionParameter.Types.ReductionOp;

namespace Atc.TestModels.Caffe;

/// <summary>Small Caffe nets in the shapes of the Caffe zoo, each with its ONNX twin (seeded weights).</summary>
public static class CaffeModels
{
    public static IReadOnlyDictionary<string, Func<CaffeModel>> All { get; } = new Dictionary<string, Func<CaffeModel>>(StringComparer.Ordinal)
    {
        ["lenet"] = LeNet,
        ["vgg_bn_block"] = VggBatchNormBlock,
        ["resnet_block"] = ResNetBlock,
        ["grouped_depthwise"] = GroupedAndDepthwise,
        ["deconvolution"] = Deconvolution,
        ["eltwise_variants"] = EltwiseVariants,
        ["tensor_layers"] = TensorLayers,
        ["activations"] = Activations,
        ["ssd_and_reductions"] = SsdAndReductions,
    };

    /// <summary>SSD's Normalize (across spatial and per pixel, shared and per-channel scale), Crop to a pooled
    /// reference, ArgMax (along channels, and top 3 of each item with values), and Reduction (each operation, with and
    /// without coeff).</summary>
    public static CaffeModel SsdAndReductions()
    {
        var b = new CaffeModelBuilder("ssd_and_reductions", seed: 19);
        var x = b.Input("data", 1, 3, 10, 10);
        var conv = b.Convolution("conv", x, 8, 3, pad: 1);
        var pixelNorm = b.Normalize("conv_norm", conv, acrossSpatial: false, channelShared: false);
        var itemNorm = b.Normalize("item_norm", conv, acrossSpatial: true, channelShared: true);
        var pooled = b.Pooling("pool", conv, max: true, kernel: 2, stride: 2);
        var cropped = b.Crop("crop", pixelNorm, pooled, 2, 1, 3);
        b.Output(b.ArgMax("argmax_channels", cropped, axis: 1));
        b.Output(b.ArgMax("argmax_top3", itemNorm, axis: null, topK: 3, outMaxVal: true));
        b.Output(b.Reduction("sum", conv, Op2.Sum, 1));
        b.Output(b.Reduction("asum", conv, Op2.Asum, 2, coeff: 0.5f));
        b.Output(b.Reduction("sumsq", itemNorm, Op2.Sumsq, 1));
        b.Output(b.Reduction("mean", cropped, Op2.Mean, 1, coeff: -2f));
        return b.Build();
    }

    /// <summary>Caffe's LeNet (examples/mnist/lenet.prototxt): conv 20 5x5, max pool, conv 50, pool, ip 500, ReLU, ip 10, softmax.</summary>
    public static CaffeModel LeNet()
    {
        var b = new CaffeModelBuilder("lenet", seed: 11);
        var x = b.Input("data", 1, 1, 28, 28);
        x = b.Convolution("conv1", x, 20, 5);
        x = b.Pooling("pool1", x, max: true, kernel: 2, stride: 2);
        x = b.Convolution("conv2", x, 50, 5);
        x = b.Pooling("pool2", x, max: true, kernel: 2, stride: 2);
        x = b.InnerProduct("ip1", x, 500);
        x = b.Relu("relu1", x);
        x = b.InnerProduct("ip2", x, 10);
        b.Output(b.Softmax("prob", x));
        return b.Build();
    }

    /// <summary>VGG-style convs with BatchNorm + Scale, ceil-rounded pools with padding and odd sizes (Caffe's
    /// rounding), an average pool, LRN and an InnerProduct with transposed weights.</summary>
    public static CaffeModel VggBatchNormBlock()
    {
        var b = new CaffeModelBuilder("vgg_bn_block", seed: 12) { LegacyInput = true };
        var x = b.Input("data", 1, 3, 23, 23);
        x = b.Convolution("conv1_1", x, 16, 3, pad: 1, bias: false);
        x = b.BatchNormScale("conv1_1", x);
        x = b.Relu("relu1_1", x);
        x = b.Convolution("conv1_2", x, 16, 3, pad: 1, hwForm: true);
        x = b.BatchNormScale("conv1_2", x, scale: false, factor: 0.5f);
        x = b.Relu("relu1_2", x);
        x = b.Pooling("pool1", x, max: true, kernel: 3, stride: 2);           // 23 -> ceil(20/2)+1 = 11
        x = b.Lrn("norm1", x);
        x = b.Convolution("conv2", x, 24, 3, pad: 1);
        x = b.Relu("relu2", x);
        x = b.Pooling("pool2", x, max: false, kernel: 3, stride: 2, pad: 1);  // AVE with padding, ceil: 11 -> 6
        x = b.Pooling("pool3", x, max: true, kernel: 2, stride: 2, pad: 1);   // 6 -> ceil(6/2)+1 = 4, last window dropped? (3*2 >= 6+1? no)
        x = b.InnerProduct("fc", x, 10, transpose: true);
        b.Output(x);
        return b.Build();
    }

    /// <summary>A ResNet bottleneck as Caffe's ResNet-50 deploy file writes it: BatchNorm + Scale in place after
    /// every conv, a projection shortcut, Eltwise SUM, ReLU, global average pooling and the classifier.</summary>
    public static CaffeModel ResNetBlock()
    {
        var b = new CaffeModelBuilder("resnet_block", seed: 13);
        var x = b.Input("data", 1, 3, 32, 32);
        x = b.Convolution("conv1", x, 16, 7, stride: 2, pad: 3, bias: false);
        x = b.BatchNormScale("bn_conv1", x);
        x = b.Relu("conv1_relu", x);
        x = b.Pooling("pool1", x, max: true, kernel: 3, stride: 2);
        var shortcut = b.Convolution("res2a_branch1", x, 32, 1, bias: false);
        shortcut = b.BatchNormScale("bn2a_branch1", shortcut);
        var y = b.Convolution("res2a_branch2a", x, 8, 1, bias: false);
        y = b.BatchNormScale("bn2a_branch2a", y);
        y = b.Relu("res2a_branch2a_relu", y);
        y = b.Convolution("res2a_branch2b", y, 8, 3, pad: 1, bias: false);
        y = b.BatchNormScale("bn2a_branch2b", y);
        y = b.Relu("res2a_branch2b_relu", y);
        y = b.Convolution("res2a_branch2c", y, 32, 1, bias: false);
        y = b.BatchNormScale("bn2a_branch2c", y);
        var sum = b.Eltwise("res2a", [shortcut, y], Op.Sum);
        sum = b.Relu("res2a_relu", sum);
        var pooled = b.Pooling("pool5", sum, max: false, global: true);
        var fc = b.InnerProduct("fc10", pooled, 10);
        b.Output(b.Softmax("prob", fc));
        return b.Build();
    }

    /// <summary>MobileNet-style depthwise (group = channels) and a grouped conv with dilation.</summary>
    public static CaffeModel GroupedAndDepthwise()
    {
        var b = new CaffeModelBuilder("grouped_depthwise", seed: 14);
        var x = b.Input("data", 1, 8, 17, 17);
        x = b.Convolution("conv_dw", x, 8, 3, pad: 1, group: 8);
        x = b.Relu("relu_dw", x, negativeSlope: 0.1f);
        x = b.Convolution("conv_pw", x, 16, 1);
        x = b.Convolution("conv_group", x, 24, 3, stride: 2, pad: 2, group: 4, dilation: 2);
        b.Output(b.Relu("relu_group", x));
        return b.Build();
    }

    /// <summary>Deconvolution (upsampling by 2, and a grouped one) as FCN / segmentation heads use it.</summary>
    public static CaffeModel Deconvolution()
    {
        var b = new CaffeModelBuilder("deconvolution", seed: 15);
        var x = b.Input("data", 1, 6, 9, 9);
        x = b.Convolution("up1", x, 8, 4, stride: 2, pad: 1, deconvolution: true);
        x = b.Relu("relu1", x);
        x = b.Convolution("up2", x, 4, 3, stride: 1, pad: 1, group: 2, bias: false, deconvolution: true);
        b.Output(x);
        return b.Build();
    }

    /// <summary>Eltwise SUM with coefficients, PROD and MAX over three bottoms, fed by Split.</summary>
    public static CaffeModel EltwiseVariants()
    {
        var b = new CaffeModelBuilder("eltwise_variants", seed: 16);
        var x = b.Input("data", 1, 4, 8, 8);
        var tops = b.Split("split", x, "a", "b", "c");
        var a = b.Convolution("conv_a", tops[0], 4, 3, pad: 1);
        var c = b.Convolution("conv_c", tops[2], 4, 1);
        var sum = b.Eltwise("sum", [a, tops[1], c], Op.Sum, [0.5f, -1f, 2f]);
        var prod = b.Eltwise("prod", [sum, a], Op.Prod);
        b.Output(b.Eltwise("max", [prod, c, sum], Op.Max));
        return b.Build();
    }

    /// <summary>Slice, Concat, Permute, Flatten, Reshape and Softmax over a non-default axis.</summary>
    public static CaffeModel TensorLayers()
    {
        var b = new CaffeModelBuilder("tensor_layers", seed: 17);
        var x = b.Input("data", 1, 6, 4, 5);
        var parts = b.Slice("slice", x, ["s0", "s1", "s2"], 1, 4);
        var even = b.Slice("slice_even", parts[1], ["e0", "e1", "e2"]);
        var joined = b.Concat("concat", [parts[2], even[0], parts[0], even[2]]);
        var conv = b.Convolution("conv", joined, 4, 1);
        var permuted = b.Permute("permute", conv, 0, 2, 3, 1);
        var flat = b.Flatten("flatten", permuted);
        var reshaped = b.Reshape("reshape", flat, [0, 20, -1], [20, 4]);
        b.Output(b.Softmax("softmax", reshaped, axis: 2));
        b.Output(b.Concat("concat_h", [even[1], even[1]], axis: 2));
        return b.Build();
    }

    /// <summary>PReLU (per channel and shared), Sigmoid, TanH, ELU, Power, Dropout, and Scale by a second bottom.</summary>
    public static CaffeModel Activations()
    {
        var b = new CaffeModelBuilder("activations", seed: 18);
        var x = b.Input("data", 1, 4, 6, 6);
        var y = b.Convolution("conv", x, 8, 3, pad: 1);
        y = b.Prelu("prelu", y);
        y = b.Unary("drop", "Dropout", y);
        var gate = b.Pooling("squeeze", y, max: false, global: true);
        gate = b.Flatten("squeeze_flat", gate);
        gate = b.Unary("gate", "Sigmoid", gate);
        var scaled = b.ScaleByBlob("excite", y, gate);
        scaled = b.Prelu("prelu_shared", scaled, channelShared: true);
        scaled = b.Unary("tanh", "TanH", scaled);
        scaled = b.Unary("elu", "ELU", scaled, eluAlpha: 0.7f);
        b.Output(b.Power("power", scaled, power: 2f, scale: 0.5f, shift: 0.25f));
        return b.Build();
    }
}
