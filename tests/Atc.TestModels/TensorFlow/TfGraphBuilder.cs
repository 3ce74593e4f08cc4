using Atc.Compiler.Frontends.TensorFlow.Proto;
using Google.Protobuf;

namespace Atc.TestModels.TensorFlow;

/// <summary>
/// Writes TensorFlow frozen GraphDefs from C#. Every method adds one node (or a small group named under a prefix)
/// and returns the tensor name to feed into the next, so models read like TensorFlow 1 code. Weights come from a
/// deterministic <see cref="System.Random"/> seeded at construction: the same calls give the same bytes.
/// </summary>
internal sealed class TfGraphBuilder(int seed = 1)
{
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly Random _random = new(seed);

    public GraphDef Graph { get; } = new() { Versions = new VersionDef { Producer = 1 } };

    public byte[] ToBytes() => Graph.ToByteArray();

    public void Save(string path) => File.WriteAllBytes(path, ToBytes());

    // ---- generic ----

    /// <summary>Adds any node: op type, name, inputs ("x", "x:1", "^ctrl") and attributes.</summary>
    public string Op(string op, string name, IEnumerable<string> inputs, params (string Key, AttrValue Value)[] attributes)
    {
        if (!_names.Add(name)) throw new ArgumentException($"a node named '{name}' already exists", nameof(name));
        var node = new NodeDef { Name = name, Op = op };
        node.Input.Add(inputs);
        foreach (var (key, value) in attributes) node.Attr[key] = value;
        Graph.Node.Add(node);
        return name;
    }

    private static (string, AttrValue) T(DataType type = DataType.DtFloat) => ("T", TfAttr.Type(type));

    // ---- inputs and constants ----

    /// <summary>A graph input; <paramref name="shape"/> null = unknown rank, -1 = unknown dimension.</summary>
    public string Placeholder(string name, long[]? shape, DataType type = DataType.DtFloat)
        => Op("Placeholder", name, [], ("dtype", TfAttr.Type(type)), ("shape", TfAttr.Shape(shape)));

    public string Const(string name, TensorProto value)
        => Op("Const", name, [], ("dtype", TfAttr.Type(value.Dtype)), ("value", TfAttr.Tensor(value)));

    public string Const(string name, long[] shape, params float[] values) => Const(name, TfTensors.Float(shape, values));
    public string ConstInt32(string name, long[] shape, params int[] values) => Const(name, TfTensors.Int32(shape, values));
    public string ScalarInt32(string name, int value) => Const(name, TfTensors.Int32([], value));

    /// <summary>Weights drawn from N(0, stddev²).</summary>
    public string RandomNormal(string name, long[] shape, double stddev)
    {
        long count = shape.Aggregate(1L, (a, d) => a * d);
        var values = new float[count];
        for (long i = 0; i < count; i++) values[i] = (float)(NextGaussian() * stddev);
        return Const(name, shape, values);
    }

    /// <summary>He (Kaiming) initialisation: N(0, 2 / fan_in), which keeps activations O(1) through ReLU layers.</summary>
    public string HeWeights(string name, long[] shape, long fanIn) => RandomNormal(name, shape, Math.Sqrt(2.0 / fanIn));

    /// <summary>Values uniform in [low, high).</summary>
    public string RandomUniform(string name, long[] shape, double low, double high)
    {
        long count = shape.Aggregate(1L, (a, d) => a * d);
        var values = new float[count];
        for (long i = 0; i < count; i++) values[i] = (float)(low + _random.NextDouble() * (high - low));
        return Const(name, shape, values);
    }

    private double NextGaussian()
    {
        // Box–Muller; 1 - NextDouble() is in (0, 1] so the log is finite.
        double u1 = 1.0 - _random.NextDouble(), u2 = _random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    // ---- layers ----

    public string Conv2D(string name, string input, string filter, int stride = 1, string padding = "SAME", int dilation = 1, string dataFormat = "NHWC")
        => Op("Conv2D", name, [input, filter], T(), ("data_format", TfAttr.Str(dataFormat)),
            ("strides", TfAttr.Ints(PerAxis(stride, dataFormat))), ("dilations", TfAttr.Ints(PerAxis(dilation, dataFormat))),
            ("padding", TfAttr.Str(padding)), ("explicit_paddings", TfAttr.Ints()), ("use_cudnn_on_gpu", TfAttr.Bool(true)));

    public string DepthwiseConv2dNative(string name, string input, string filter, int stride = 1, string padding = "SAME", int dilation = 1, string dataFormat = "NHWC")
        => Op("DepthwiseConv2dNative", name, [input, filter], T(), ("data_format", TfAttr.Str(dataFormat)),
            ("strides", TfAttr.Ints(PerAxis(stride, dataFormat))), ("dilations", TfAttr.Ints(PerAxis(dilation, dataFormat))),
            ("padding", TfAttr.Str(padding)), ("explicit_paddings", TfAttr.Ints()));

    public string BiasAdd(string name, string input, string bias, string dataFormat = "NHWC")
        => Op("BiasAdd", name, [input, bias], T(), ("data_format", TfAttr.Str(dataFormat)));

    public string FusedBatchNormV3(string name, string x, string scale, string offset, string mean, string variance, float epsilon = 0.001f, string dataFormat = "NHWC")
        => Op("FusedBatchNormV3", name, [x, scale, offset, mean, variance], T(), ("U", TfAttr.Type(DataType.DtFloat)),
            ("data_format", TfAttr.Str(dataFormat)), ("epsilon", TfAttr.Float(epsilon)), ("is_training", TfAttr.Bool(false)),
            ("exponential_avg_factor", TfAttr.Float(1f)));

    public string MaxPool(string name, string input, int kernel, int stride, string padding = "VALID", string dataFormat = "NHWC")
        => Pool("MaxPool", name, input, kernel, stride, padding, dataFormat);

    public string AvgPool(string name, string input, int kernel, int stride, string padding = "VALID", string dataFormat = "NHWC")
        => Pool("AvgPool", name, input, kernel, stride, padding, dataFormat);

    private string Pool(string op, string name, string input, int kernel, int stride, string padding, string dataFormat)
        => Op(op, name, [input], T(), ("data_format", TfAttr.Str(dataFormat)), ("ksize", TfAttr.Ints(PerAxis(kernel, dataFormat))),
            ("strides", TfAttr.Ints(PerAxis(stride, dataFormat))), ("padding", TfAttr.Str(padding)));

    private static long[] PerAxis(int spatial, string dataFormat)
        => dataFormat == "NCHW" ? [1, 1, spatial, spatial] : [1, spatial, spatial, 1];

    public string MatMul(string name, string a, string b, bool transposeA = false, bool transposeB = false)
        => Op("MatMul", name, [a, b], T(), ("transpose_a", TfAttr.Bool(transposeA)), ("transpose_b", TfAttr.Bool(transposeB)));

    // ---- element-wise ----

    public string Unary(string op, string name, string input) => Op(op, name, [input], T());
    public string Binary(string op, string name, string a, string b) => Op(op, name, [a, b], T());

    public string Relu(string name, string input) => Unary("Relu", name, input);
    public string Relu6(string name, string input) => Unary("Relu6", name, input);
    public string Sigmoid(string name, string input) => Unary("Sigmoid", name, input);
    public string Identity(string name, string input) => Unary("Identity", name, input);
    public string Softmax(string name, string input) => Unary("Softmax", name, input);
    public string AddV2(string name, string a, string b) => Binary("AddV2", name, a, b);
    public string Mul(string name, string a, string b) => Binary("Mul", name, a, b);

    // ---- shape ----

    /// <summary>Mean over constant axes.</summary>
    public string Mean(string name, string input, long[] axes, bool keepDims)
    {
        var indices = ConstInt32(name + "/reduction_indices", [axes.Length], [.. axes.Select(a => (int)a)]);
        return Op("Mean", name, [input, indices], T(), ("Tidx", TfAttr.Type(DataType.DtInt32)), ("keep_dims", TfAttr.Bool(keepDims)));
    }

    public string Reshape(string name, string input, string shape)
        => Op("Reshape", name, [input, shape], T(), ("Tshape", TfAttr.Type(DataType.DtInt32)));

    public string Squeeze(string name, string input, params long[] squeezeDims)
        => Op("Squeeze", name, [input], T(), ("squeeze_dims", TfAttr.Ints(squeezeDims)));

    /// <summary>Pad with constant paddings [[before, after] per axis].</summary>
    public string Pad(string name, string input, long[][] paddings)
    {
        var p = ConstInt32(name + "/paddings", [paddings.Length, 2], [.. paddings.SelectMany(x => x).Select(v => (int)v)]);
        return Op("Pad", name, [input, p], T(), ("Tpaddings", TfAttr.Type(DataType.DtInt32)));
    }

    public string ConcatV2(string name, IReadOnlyList<string> inputs, int axis)
    {
        var a = ScalarInt32(name + "/axis", axis);
        return Op("ConcatV2", name, [.. inputs, a], T(), ("N", TfAttr.Int(inputs.Count)), ("Tidx", TfAttr.Type(DataType.DtInt32)));
    }

    public string Shape(string name, string input, DataType outType = DataType.DtInt32)
        => Op("Shape", name, [input], T(), ("out_type", TfAttr.Type(outType)));

    public string StridedSlice(string name, string input, string begin, string end, string strides,
        long beginMask = 0, long endMask = 0, long ellipsisMask = 0, long newAxisMask = 0, long shrinkAxisMask = 0)
        => Op("StridedSlice", name, [input, begin, end, strides], T(DataType.DtInt32), ("Index", TfAttr.Type(DataType.DtInt32)),
            ("begin_mask", TfAttr.Int(beginMask)), ("end_mask", TfAttr.Int(endMask)), ("ellipsis_mask", TfAttr.Int(ellipsisMask)),
            ("new_axis_mask", TfAttr.Int(newAxisMask)), ("shrink_axis_mask", TfAttr.Int(shrinkAxisMask)));

    public string Pack(string name, IReadOnlyList<string> inputs, long axis = 0, DataType type = DataType.DtInt32)
        => Op("Pack", name, inputs, T(type), ("N", TfAttr.Int(inputs.Count)), ("axis", TfAttr.Int(axis)));

    // ---- composite layers ----

    /// <summary>Flattens [N, ...] to [N, features] keeping N dynamic as TensorFlow exports do:
    /// Shape → StridedSlice (the batch, as a scalar) → Pack with the feature count → Reshape.</summary>
    public string FlattenDynamic(string prefix, string input, long features)
    {
        var shape = Shape(prefix + "/Shape", input);
        var batch = StridedSlice(prefix + "/strided_slice", shape,
            ConstInt32(prefix + "/strided_slice/stack", [1], 0), ConstInt32(prefix + "/strided_slice/stack_1", [1], 1),
            ConstInt32(prefix + "/strided_slice/stack_2", [1], 1), shrinkAxisMask: 1);
        var size = Pack(prefix + "/Reshape/shape", [batch, ScalarInt32(prefix + "/Reshape/shape/1", (int)features)]);
        return Reshape(prefix + "/Reshape", input, size);
    }

    /// <summary>Folded batch-norm parameters near identity (mean≈0, variance≈1); <paramref name="gammaScale"/> &lt; 1
    /// damps a residual branch so deep networks keep O(1) activations.</summary>
    public string BatchNorm(string prefix, string input, int channels, double gammaScale = 1.0)
    {
        var gamma = RandomAround(prefix + "/gamma", channels, gammaScale, 0.1 * gammaScale);
        var beta = RandomAround(prefix + "/beta", channels, 0, 0.05);
        var mean = RandomAround(prefix + "/moving_mean", channels, 0, 0.05);
        var variance = RandomUniform(prefix + "/moving_variance", [channels], 0.9, 1.1);
        return FusedBatchNormV3(prefix + "/FusedBatchNormV3", input, gamma, beta, mean, variance);
    }

    private string RandomAround(string name, int count, double center, double spread)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = (float)(center + NextGaussian() * spread);
        return Const(name, [count], values);
    }

    /// <summary>Conv2D (He weights, HWIO) + batch norm + optional activation ("Relu", "Relu6" or null).</summary>
    public string ConvBn(string prefix, string input, int kernel, int inChannels, int outChannels, int stride = 1,
        string? activation = "Relu", double gammaScale = 1.0)
    {
        var w = HeWeights(prefix + "/weights", [kernel, kernel, inChannels, outChannels], (long)kernel * kernel * inChannels);
        var conv = Conv2D(prefix + "/Conv2D", input, w, stride);
        var bn = BatchNorm(prefix + "/BatchNorm", conv, outChannels, gammaScale);
        return activation is null ? bn : Unary(activation, prefix + "/" + activation, bn);
    }

    /// <summary>Depthwise 3x3 (multiplier 1) + batch norm + optional activation.</summary>
    public string DepthwiseBn(string prefix, string input, int kernel, int channels, int stride = 1, string? activation = "Relu6")
    {
        var w = HeWeights(prefix + "/depthwise_weights", [kernel, kernel, channels, 1], (long)kernel * kernel);
        var conv = DepthwiseConv2dNative(prefix + "/depthwise", input, w, stride);
        var bn = BatchNorm(prefix + "/BatchNorm", conv, channels);
        return activation is null ? bn : Unary(activation, prefix + "/" + activation, bn);
    }

    /// <summary>Fully connected: MatMul + BiasAdd with weights N(0, 1/fan_in) (no activation follows by default).</summary>
    public string Dense(string prefix, string input, int inFeatures, int outFeatures, double gain = 1.0)
    {
        var w = RandomNormal(prefix + "/weights", [inFeatures, outFeatures], Math.Sqrt(gain / inFeatures));
        var b = RandomAround(prefix + "/biases", outFeatures, 0, 0.01);
        return BiasAdd(prefix + "/BiasAdd", MatMul(prefix + "/MatMul", input, w), b);
    }
}
