using Atc.Compiler.Frontends.Caffe.Proto;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.TestModels.Onnx;
using Google.Protobuf;

namespace Atc.TestModels.Caffe;

/// <summary>
/// Writes a Caffe net (prototxt layers, caffemodel blobs) and, call by call, its ONNX twin with the same weights
/// (opset 13, batch axis symbolic "N"): the twin is written here from ONNX's definitions of each op, not by the
/// compiler's converter, so ONNX Runtime on it is an independent reference. Blob shapes are tracked so that
/// weight shapes follow from the bottoms; in-place layers (top == bottom) are written as Caffe deploy files do.
/// </summary>
internal sealed class CaffeModelBuilder
{
    private readonly NetParameter _net;
    private readonly OnnxModelBuilder _onnx;
    private readonly Random _random;
    private readonly Dictionary<string, string> _onnxName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int[]> _shapes = new(StringComparer.Ordinal);
    private readonly List<string> _outputs = [];
    private readonly Dictionary<LayerParameter, List<BlobProto>> _blobs = new(ReferenceEqualityComparer.Instance);
    private string _inputName = "";
    private int[] _inputDims = [];

    public CaffeModelBuilder(string name, int seed = 1)
    {
        Name = name;
        _net = new NetParameter { Name = name };
        _onnx = new OnnxModelBuilder(opset: 13, seed: seed);
        _random = new Random(seed);
    }

    public string Name { get; }
    /// <summary>Use the legacy NetParameter input / input_shape fields instead of an Input layer.</summary>
    public bool LegacyInput { get; init; }

    public int[] Shape(string blob) => _shapes[blob];

    // ---- inputs and outputs ----

    public string Input(string name, params int[] dims)
    {
        _inputName = name;
        _inputDims = dims;
        var shape = new BlobShape();
        shape.Dim.Add(dims.Select(d => (long)d));
        if (LegacyInput)
        {
            _net.Input.Add(name);
            _net.InputShape.Add(shape);
        }
        else
        {
            var layer = Layer(name, "Input", [], [name]);
            layer.InputParam = new InputParameter();
            layer.InputParam.Shape.Add(shape);
        }
        _onnx.Input(name, DataType.Float32, ["N", .. dims.Skip(1).Cast<object>()]);
        _onnxName[name] = name;
        _shapes[name] = dims;
        return name;
    }

    /// <summary>Marks a blob as a model output (Caffe's outputs are the blobs nothing reads; the twin lists them).</summary>
    public void Output(string blob) => _outputs.Add(blob);

    public CaffeModel Build()
    {
        foreach (var blob in _outputs) _onnx.Output(_onnxName[blob], DataType.Float32);
        // Caffe writes the whole net into the .caffemodel, every layer with its parameters and its blobs.
        var weights = _net.Clone();
        for (int i = 0; i < _net.Layer.Count; i++) weights.Layer[i].Blobs.Add(_blobs[_net.Layer[i]]);
        return new CaffeModel(Name, PrototxtWriter.Write(_net), weights.ToByteArray(), _onnx.ToBytes(), _inputName, _inputDims,
            _outputs.Select(o => _onnxName[o]).ToList());
    }

    // ---- layers ----

    public string Convolution(string name, string bottom, int outputs, int kernel, int stride = 1, int pad = 0, int group = 1,
        int dilation = 1, bool bias = true, bool hwForm = false, string? top = null, bool deconvolution = false)
    {
        var input = _shapes[bottom];
        int channels = input[1];
        int[] weightDims = deconvolution ? [channels, outputs / group, kernel, kernel] : [outputs, channels / group, kernel, kernel];
        var weights = Normal(weightDims.Aggregate(1, (a, d) => a * d), Math.Sqrt(2.0 / (channels / group * kernel * kernel)));
        var biasValues = bias ? Normal(outputs, 0.1) : null;

        var layer = Layer(name, deconvolution ? "Deconvolution" : "Convolution", [bottom], [top ?? name]);
        var p = layer.ConvolutionParam = new ConvolutionParameter { NumOutput = (uint)outputs, BiasTerm = bias };
        if (group != 1) p.Group = (uint)group;
        if (dilation != 1) p.Dilation.Add((uint)dilation);
        if (hwForm)
        {
            (p.KernelH, p.KernelW, p.StrideH, p.StrideW, p.PadH, p.PadW) = ((uint)kernel, (uint)kernel, (uint)stride, (uint)stride, (uint)pad, (uint)pad);
        }
        else
        {
            p.KernelSize.Add((uint)kernel);
            if (stride != 1) p.Stride.Add((uint)stride);
            if (pad != 0) p.Pad.Add((uint)pad);
        }
        AddWeights(layer, (weights, weightDims), bias ? (biasValues!, [outputs]) : default);

        var onnxInputs = new List<string> { _onnxName[bottom], _onnx.Floats(name + ".w", weightDims, weights) };
        if (bias) onnxInputs.Add(_onnx.Floats(name + ".b", [outputs], biasValues!));
        var y = _onnx.Node(deconvolution ? "ConvTranspose" : "Conv", [.. onnxInputs], ("kernel_shape", new long[] { kernel, kernel }),
            ("strides", new long[] { stride, stride }), ("pads", new long[] { pad, pad, pad, pad }), ("dilations", new long[] { dilation, dilation }), ("group", (long)group));
        int extent = dilation * (kernel - 1) + 1;
        int[] shape = deconvolution
            ? [input[0], outputs, stride * (input[2] - 1) + extent - 2 * pad, stride * (input[3] - 1) + extent - 2 * pad]
            : [input[0], outputs, (input[2] + 2 * pad - extent) / stride + 1, (input[3] + 2 * pad - extent) / stride + 1];
        return Bind(top ?? name, y, shape);
    }

    public string Pooling(string name, string bottom, bool max, int kernel = 0, int stride = 1, int pad = 0, bool global = false)
    {
        var input = _shapes[bottom];
        var layer = Layer(name, "Pooling", [bottom], [name]);
        var p = layer.PoolingParam = new PoolingParameter { Pool = max ? PoolingParameter.Types.PoolMethod.Max : PoolingParameter.Types.PoolMethod.Ave };
        if (global) p.GlobalPooling = true;
        else { p.KernelSize = (uint)kernel; p.Stride = (uint)stride; if (pad != 0) p.Pad = (uint)pad; }
        if (global)
            return Bind(name, _onnx.Node(max ? "GlobalMaxPool" : "GlobalAveragePool", [_onnxName[bottom]]), [input[0], input[1], 1, 1]);
        // ONNX's ceil_mode is Caffe's rounding (ONNX Runtime drops a window that starts in the end padding, as Caffe does).
        var attributes = new List<(string, object)> { ("kernel_shape", new long[] { kernel, kernel }), ("strides", new long[] { stride, stride }), ("pads", new long[] { pad, pad, pad, pad }), ("ceil_mode", 1L) };
        if (!max) attributes.Add(("count_include_pad", 1L));
        var y = _onnx.Node(max ? "MaxPool" : "AveragePool", [_onnxName[bottom]], [.. attributes]);
        return Bind(name, y, [input[0], input[1], Pooled(input[2], kernel, stride, pad), Pooled(input[3], kernel, stride, pad)]);
    }

    public string InnerProduct(string name, string bottom, int outputs, bool bias = true, bool transpose = false)
    {
        var input = _shapes[bottom];
        int k = input.Skip(1).Aggregate(1, (a, d) => a * d);
        var weights = Normal(outputs * k, Math.Sqrt(2.0 / k));
        var biasValues = bias ? Normal(outputs, 0.1) : null;
        var layer = Layer(name, "InnerProduct", [bottom], [name]);
        layer.InnerProductParam = new InnerProductParameter { NumOutput = (uint)outputs, BiasTerm = bias, Transpose = transpose };
        int[] dims = transpose ? [k, outputs] : [outputs, k];
        AddWeights(layer, (weights, dims), bias ? (biasValues!, [outputs]) : default);
        var flat = input.Length == 2 ? _onnxName[bottom] : _onnx.Node("Flatten", [_onnxName[bottom]], ("axis", 1L));
        var onnxInputs = new List<string> { flat, _onnx.Floats(name + ".w", dims, weights) };
        if (bias) onnxInputs.Add(_onnx.Floats(name + ".b", [outputs], biasValues!));
        return Bind(name, _onnx.Node("Gemm", [.. onnxInputs], ("transB", transpose ? 0L : 1L)), [input[0], outputs]);
    }

    public string Relu(string name, string bottom, float negativeSlope = 0, bool inPlace = true)
    {
        var layer = Layer(name, "ReLU", [bottom], [inPlace ? bottom : name]);
        if (negativeSlope != 0) layer.ReluParam = new ReLUParameter { NegativeSlope = negativeSlope };
        var y = negativeSlope == 0 ? _onnx.Node("Relu", [_onnxName[bottom]]) : _onnx.Node("LeakyRelu", [_onnxName[bottom]], ("alpha", negativeSlope));
        return Bind(inPlace ? bottom : name, y, _shapes[bottom]);
    }

    /// <summary>Sigmoid, TanH, ELU, Dropout: one bottom, in place.</summary>
    public string Unary(string name, string caffeType, string bottom, float eluAlpha = 1f)
    {
        var layer = Layer(name, caffeType, [bottom], [bottom]);
        if (caffeType == "ELU") layer.EluParam = new ELUParameter { Alpha = eluAlpha };
        var y = caffeType switch
        {
            "Sigmoid" => _onnx.Node("Sigmoid", [_onnxName[bottom]]),
            "TanH" => _onnx.Node("Tanh", [_onnxName[bottom]]),
            "ELU" => _onnx.Node("Elu", [_onnxName[bottom]], ("alpha", eluAlpha)),
            "Dropout" => _onnx.Node("Identity", [_onnxName[bottom]]),
            _ => throw new ArgumentException(caffeType),
        };
        return Bind(bottom, y, _shapes[bottom]);
    }

    public string Prelu(string name, string bottom, bool channelShared = false)
    {
        var shape = _shapes[bottom];
        int count = channelShared ? 1 : shape[1];
        var slope = Uniform(count, 0.05, 0.3);
        var layer = Layer(name, "PReLU", [bottom], [bottom]);
        if (channelShared) layer.PreluParam = new PReLUParameter { ChannelShared = true };
        AddWeights(layer, (slope, [count]), default);
        int[] dims = channelShared ? [1] : [count, .. Enumerable.Repeat(1, shape.Length - 2)];
        return Bind(bottom, _onnx.Node("PRelu", [_onnxName[bottom], _onnx.Floats(name + ".slope", dims, slope)]), shape);
    }

    /// <summary>Power: y = (shift + scale x)^power (power 2 keeps negative bases real).</summary>
    public string Power(string name, string bottom, float power, float scale, float shift)
    {
        var layer = Layer(name, "Power", [bottom], [name]);
        layer.PowerParam = new PowerParameter { Power = power, Scale = scale, Shift = shift };
        var scaled = _onnx.Node("Mul", [_onnxName[bottom], _onnx.Floats(name + ".scale", [1], scale)]);
        var shifted = _onnx.Node("Add", [scaled, _onnx.Floats(name + ".shift", [1], shift)]);
        return Bind(name, _onnx.Node("Pow", [shifted, _onnx.Floats(name + ".power", [1], power)]), _shapes[bottom]);
    }

    /// <summary>BatchNorm with Caffe's three blobs (sums and a scale factor of <paramref name="factor"/>) then,
    /// when <paramref name="scale"/>, a Scale layer with bias: the pair Caffe ResNets use.</summary>
    public string BatchNormScale(string name, string bottom, bool scale = true, float factor = 2f)
    {
        var shape = _shapes[bottom];
        int c = shape[1];
        var mean = Normal(c, 0.2);
        var variance = Uniform(c, 0.5, 1.5);
        var layer = Layer(name + "_bn", "BatchNorm", [bottom], [bottom]);
        layer.BatchNormParam = new BatchNormParameter { UseGlobalStats = true, Eps = 1e-5f };
        AddWeights(layer, (mean.Select(m => m * factor).ToArray(), [c]), (variance.Select(v => v * factor).ToArray(), [c]), ([factor], [1]));
        var gamma = scale ? Uniform(c, 0.5, 1.5) : Enumerable.Repeat(1f, c).ToArray();
        var beta = scale ? Normal(c, 0.1) : new float[c];
        if (scale)
        {
            var scaleLayer = Layer(name + "_scale", "Scale", [bottom], [bottom]);
            scaleLayer.ScaleParam = new ScaleParameter { BiasTerm = true };
            AddWeights(scaleLayer, (gamma, [c]), (beta, [c]));
        }
        var y = _onnx.Node("BatchNormalization", [_onnxName[bottom], _onnx.Floats(name + ".gamma", [c], gamma), _onnx.Floats(name + ".beta", [c], beta),
            _onnx.Floats(name + ".mean", [c], mean), _onnx.Floats(name + ".var", [c], variance)], ("epsilon", 1e-5f));
        return Bind(bottom, y, shape);
    }

    /// <summary>Scale with the multiplier from a second bottom (axis 0 over [N, C] bottoms' leading axes, e.g. an SE gate).</summary>
    public string ScaleByBlob(string name, string bottom, string multiplier)
    {
        var layer = Layer(name, "Scale", [bottom, multiplier], [name]);
        layer.ScaleParam = new ScaleParameter { Axis = 0 };
        var gate = _onnx.Node("Unsqueeze", [_onnxName[multiplier], _onnx.Int64s(name + ".axes", 2, 3)]);
        return Bind(name, _onnx.Node("Mul", [_onnxName[bottom], gate]), _shapes[bottom]);
    }

    public string Eltwise(string name, string[] bottoms, EltwiseParameter.Types.EltwiseOp op, float[]? coeff = null)
    {
        var layer = Layer(name, "Eltwise", bottoms, [name]);
        layer.EltwiseParam = new EltwiseParameter { Operation = op };
        if (coeff is not null) layer.EltwiseParam.Coeff.Add(coeff);
        var operands = bottoms.Select((b, i) => coeff is null ? _onnxName[b] : _onnx.Node("Mul", [_onnxName[b], _onnx.Floats(name + ".c" + i, [1], coeff[i])])).ToList();
        string onnxOp = op switch { EltwiseParameter.Types.EltwiseOp.Prod => "Mul", EltwiseParameter.Types.EltwiseOp.Max => "Max", _ => "Sum" };
        return Bind(name, _onnx.Node(onnxOp, [.. operands]), _shapes[bottoms[0]]);
    }

    public string Concat(string name, string[] bottoms, int axis = 1)
    {
        var layer = Layer(name, "Concat", bottoms, [name]);
        if (axis != 1) layer.ConcatParam = new ConcatParameter { Axis = axis };
        var shape = (int[])_shapes[bottoms[0]].Clone();
        shape[axis] = bottoms.Sum(b => _shapes[b][axis]);
        return Bind(name, _onnx.Node("Concat", [.. bottoms.Select(b => _onnxName[b])], ("axis", (long)axis)), shape);
    }

    /// <summary>Slice along axis 1 at the given points (empty: equal parts, one per top name).</summary>
    public string[] Slice(string name, string bottom, string[] tops, params int[] points)
    {
        var layer = Layer(name, "Slice", [bottom], tops);
        layer.SliceParam = new SliceParameter { Axis = 1 };
        layer.SliceParam.SlicePoint.Add(points.Select(p => (uint)p));
        var shape = _shapes[bottom];
        var bounds = points.Length > 0 ? [0, .. points, shape[1]] : Enumerable.Range(0, tops.Length + 1).Select(i => i * shape[1] / tops.Length).ToArray();
        for (int i = 0; i < tops.Length; i++)
        {
            var y = _onnx.Node("Slice", [_onnxName[bottom], _onnx.Int64s(name + ".s" + i, bounds[i]), _onnx.Int64s(name + ".e" + i, bounds[i + 1]), _onnx.Int64s(name + ".a" + i, 1)]);
            var part = (int[])shape.Clone();
            part[1] = bounds[i + 1] - bounds[i];
            Bind(tops[i], y, part);
        }
        return tops;
    }

    public string[] Split(string name, string bottom, params string[] tops)
    {
        Layer(name, "Split", [bottom], tops);
        foreach (var top in tops) Bind(top, _onnx.Node("Identity", [_onnxName[bottom]]), _shapes[bottom]);
        return tops;
    }

    public string Flatten(string name, string bottom)
    {
        Layer(name, "Flatten", [bottom], [name]);
        var shape = _shapes[bottom];
        return Bind(name, _onnx.Node("Flatten", [_onnxName[bottom]], ("axis", 1L)), [shape[0], shape.Skip(1).Aggregate(1, (a, d) => a * d)]);
    }

    /// <summary>Reshape with Caffe's dims (0 copies, -1 infers); <paramref name="result"/> is the shape after batch.</summary>
    public string Reshape(string name, string bottom, long[] dims, int[] result)
    {
        var layer = Layer(name, "Reshape", [bottom], [name]);
        layer.ReshapeParam = new ReshapeParameter { Shape = new BlobShape() };
        layer.ReshapeParam.Shape.Dim.Add(dims);
        var target = _onnx.Int64s(name + ".shape", [-1, .. result.Select(d => (long)d)]);
        return Bind(name, _onnx.Node("Reshape", [_onnxName[bottom], target]), [_shapes[bottom][0], .. result]);
    }

    public string Permute(string name, string bottom, params int[] order)
    {
        var layer = Layer(name, "Permute", [bottom], [name]);
        layer.PermuteParam = new PermuteParameter();
        layer.PermuteParam.Order.Add(order.Select(o => (uint)o));
        var shape = _shapes[bottom];
        return Bind(name, _onnx.Node("Transpose", [_onnxName[bottom]], ("perm", order.Select(o => (long)o).ToArray())), [.. order.Select(o => shape[o])]);
    }

    public string Softmax(string name, string bottom, int axis = 1)
    {
        var layer = Layer(name, "Softmax", [bottom], [name]);
        if (axis != 1) layer.SoftmaxParam = new SoftmaxParameter { Axis = axis };
        return Bind(name, _onnx.Node("Softmax", [_onnxName[bottom]], ("axis", (long)axis)), _shapes[bottom]);
    }

    public string Lrn(string name, string bottom, int size = 5, float alpha = 1e-4f, float beta = 0.75f, float k = 1f)
    {
        var layer = Layer(name, "LRN", [bottom], [name]);
        layer.LrnParam = new LRNParameter { LocalSize = (uint)size, Alpha = alpha, Beta = beta, K = k };
        return Bind(name, _onnx.Node("LRN", [_onnxName[bottom]], ("size", (long)size), ("alpha", alpha), ("beta", beta), ("bias", k)), _shapes[bottom]);
    }

    /// <summary>Reduction over every axis from <paramref name="axis"/> on; the twin writes ASUM as Abs + ReduceSum and
    /// SUMSQ as x·x + ReduceSum.</summary>
    public string Reduction(string name, string bottom, ReductionParameter.Types.ReductionOp op, int axis, float coeff = 1f)
    {
        var layer = Layer(name, "Reduction", [bottom], [name]);
        layer.ReductionParam = new ReductionParameter { Operation = op, Axis = axis, Coeff = coeff };
        var shape = _shapes[bottom];
        var axes = _onnx.Int64s(name + ".axes", [.. Enumerable.Range(axis, shape.Length - axis).Select(a => (long)a)]);
        var x = _onnxName[bottom];
        string reduced = op switch
        {
            ReductionParameter.Types.ReductionOp.Asum => _onnx.Node("ReduceSum", [_onnx.Node("Abs", [x]), axes], ("keepdims", 0L)),
            ReductionParameter.Types.ReductionOp.Sumsq => _onnx.Node("ReduceSum", [_onnx.Node("Mul", [x, x]), axes], ("keepdims", 0L)),
            ReductionParameter.Types.ReductionOp.Mean => _onnx.Node("ReduceMean", [x], ("axes", Enumerable.Range(axis, shape.Length - axis).Select(a => (long)a).ToArray()), ("keepdims", 0L)),
            _ => _onnx.Node("ReduceSum", [x, axes], ("keepdims", 0L)),
        };
        if (coeff != 1f) reduced = _onnx.Node("Mul", [reduced, _onnx.Floats(name + ".coeff", [], coeff)]);
        return Bind(name, reduced, shape[..axis]);
    }

    /// <summary>ArgMax along <paramref name="axis"/> with top_k 1 (twin: ONNX ArgMax), or over each item's flattened
    /// values (twin: TopK; with out_max_val the values as channel 1).</summary>
    public string ArgMax(string name, string bottom, int? axis, int topK = 1, bool outMaxVal = false)
    {
        var layer = Layer(name, "ArgMax", [bottom], [name]);
        layer.ArgmaxParam = new ArgMaxParameter { TopK = (uint)topK, OutMaxVal = outMaxVal };
        var shape = _shapes[bottom];
        if (axis is { } a)
        {
            layer.ArgmaxParam.Axis = a;
            var reduced = (int[])shape.Clone();
            reduced[a] = 1;
            var index = _onnx.Node("ArgMax", [_onnxName[bottom]], ("axis", (long)a), ("keepdims", 1L));
            return Bind(name, outMaxVal ? _onnx.Node("ReduceMax", [_onnxName[bottom]], ("axes", new long[] { a }), ("keepdims", 1L)) : _onnx.Node("Cast", [index], ("to", 1L)), reduced);
        }
        var flat = _onnx.Node("Flatten", [_onnxName[bottom]], ("axis", 1L));
        var topk = _onnx.Node("TopK", [flat, _onnx.Int64s(name + ".k", topK)], 2, ("axis", 1L));
        var indices = _onnx.Node("Unsqueeze", [_onnx.Node("Cast", [topk[1]], ("to", 1L)), _onnx.Int64s(name + ".axis", 1)]);
        if (!outMaxVal) return Bind(name, indices, [shape[0], 1, topK]);
        var values = _onnx.Node("Unsqueeze", [topk[0], _onnx.Int64s(name + ".axis_v", 1)]);
        return Bind(name, _onnx.Node("Concat", [indices, values], ("axis", 1L)), [shape[0], 2, topK]);
    }

    /// <summary>Crop of <paramref name="bottom"/> to <paramref name="reference"/>'s dims from axis on.</summary>
    public string Crop(string name, string bottom, string reference, int axis, params int[] offsets)
    {
        var layer = Layer(name, "Crop", [bottom, reference], [name]);
        layer.CropParam = new CropParameter { Axis = axis };
        layer.CropParam.Offset.Add(offsets.Select(o => (uint)o));
        var shape = (int[])_shapes[bottom].Clone();
        var target = _shapes[reference];
        int count = shape.Length - axis;
        var starts = Enumerable.Range(0, count).Select(i => (long)(offsets.Length == 0 ? 0 : offsets[offsets.Length == 1 ? 0 : i])).ToArray();
        var ends = starts.Select((st, i) => st + target[axis + i]).ToArray();
        for (int i = 0; i < count; i++) shape[axis + i] = target[axis + i];
        var y = _onnx.Node("Slice", [_onnxName[bottom], _onnx.Int64s(name + ".starts", starts), _onnx.Int64s(name + ".ends", ends),
            _onnx.Int64s(name + ".axes", [.. Enumerable.Range(axis, count).Select(a => (long)a)])]);
        return Bind(name, y, shape);
    }

    /// <summary>SSD's Normalize (L2 over each item or over channels per pixel) with a learned scale; the twin writes
    /// x / sqrt(ReduceSum(x^2) + eps) · scale.</summary>
    public string Normalize(string name, string bottom, bool acrossSpatial, bool channelShared, float eps = 1e-10f)
    {
        var shape = _shapes[bottom];
        int count = channelShared ? 1 : shape[1];
        var scale = Uniform(count, 5, 20);
        var layer = Layer(name, "Normalize", [bottom], [name]);
        layer.NormParam = new NormalizeParameter { AcrossSpatial = acrossSpatial, ChannelShared = channelShared, Eps = eps };
        AddWeights(layer, (scale, [count]), default);
        var x = _onnxName[bottom];
        long[] axes = acrossSpatial ? [.. Enumerable.Range(1, shape.Length - 1).Select(a => (long)a)] : [1];
        var sum = _onnx.Node("ReduceSum", [_onnx.Node("Pow", [x, _onnx.Floats(name + ".two", [], 2f)]), _onnx.Int64s(name + ".axes", axes)], ("keepdims", 1L));
        var norm = _onnx.Node("Sqrt", [_onnx.Node("Add", [sum, _onnx.Floats(name + ".eps", [], eps)])]);
        int[] dims = channelShared ? [] : [count, .. Enumerable.Repeat(1, shape.Length - 2)];
        return Bind(name, _onnx.Node("Mul", [_onnx.Node("Div", [x, norm]), _onnx.Floats(name + ".scale", dims, scale)]), shape);
    }

    /// <summary>A layer of a type the compiler does not convert (hostile-input tests).</summary>
    public LayerParameter Raw(string name, string type, string[] bottoms, string[] tops) => Layer(name, type, bottoms, tops);

    /// <summary>The net being written, for tests that edit it before <see cref="Build"/>.</summary>
    public NetParameter Net => _net;

    // ---- plumbing ----

    /// <summary>Caffe's pooled size (ceil, then drop a window that starts in the end padding).</summary>
    public static int Pooled(int size, int kernel, int stride, int pad)
    {
        int pooled = (size + 2 * pad - kernel + stride - 1) / stride + 1;
        if (pad > 0 && (pooled - 1) * stride >= size + pad) pooled--;
        return pooled;
    }

    private LayerParameter Layer(string name, string type, string[] bottoms, string[] tops)
    {
        var layer = new LayerParameter { Name = name, Type = type };
        layer.Bottom.Add(bottoms);
        layer.Top.Add(tops);
        _net.Layer.Add(layer);
        _blobs[layer] = [];
        return layer;
    }

    /// <summary>The layer's blobs, for its entry in the .caffemodel.</summary>
    private void AddWeights(LayerParameter layer, params (float[] Values, int[] Dims)[] blobs)
    {
        var trained = _blobs[layer];
        foreach (var (values, dims) in blobs)
        {
            if (values is null) continue;
            var blob = new BlobProto { Shape = new BlobShape() };
            blob.Shape.Dim.Add(dims.Select(d => (long)d));
            blob.Data.Add(values);
            trained.Add(blob);
        }
    }

    private string Bind(string blob, string onnxTensor, int[] shape)
    {
        _onnxName[blob] = onnxTensor;
        _shapes[blob] = shape;
        return blob;
    }

    private float[] Normal(int count, double std)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            double u1 = 1.0 - _random.NextDouble(), u2 = _random.NextDouble();
            values[i] = (float)(std * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
        return values;
    }

    private float[] Uniform(int count, double min, double max)
        => Enumerable.Range(0, count).Select(_ => (float)(min + (max - min) * _random.NextDouble())).ToArray();
}
