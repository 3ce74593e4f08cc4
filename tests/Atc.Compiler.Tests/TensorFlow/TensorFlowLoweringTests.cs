using Atc.Compiler.Frontends.TensorFlow;
using Atc.Compiler.Ir;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;
using Atc.TestModels.TensorFlow;
using static Atc.Compiler.Tests.TensorFlow.TfTestSupport;

namespace Atc.Compiler.Tests.TensorFlow;

/// <summary>How individual TensorFlow ops and GraphDef features lower onto the canonical IR.</summary>
public class TensorFlowLoweringTests
{
    [Fact]
    public void Typed_values_repeat_the_last_value_to_fill_the_shape()
    {
        var b = new TfGraphBuilder();
        var x = b.Placeholder("x", [2, 3]);
        b.AddV2("sum", x, b.Const("splat", TfTensors.FloatVal([2, 3], 1f, 2f)));
        b.AddV2("zeros_sum", x, b.Const("zeros", TfTensors.FloatVal([2, 3])));
        b.Op("Reshape", "reshaped", [x, b.Const("shape", TfTensors.IntVal([2], 3))]);

        var g = Import(b);
        Assert.Equal([1f, 2f, 2f, 2f, 2f, 2f], NodeNamed(g, "sum").Inputs[1]!.Constant!.ToFloatArray());
        Assert.Equal(new float[6], NodeNamed(g, "zeros_sum").Inputs[1]!.Constant!.ToFloatArray());
        Assert.Equal([3L, 3L], NodeNamed(g, "reshaped").Inputs[1]!.Constant!.ToInt64Array());
    }

    [Fact]
    public void Too_many_typed_values_are_an_invalid_model()
    {
        var b = new TfGraphBuilder();
        b.AddV2("sum", b.Placeholder("x", [2]), b.Const("c", TfTensors.FloatVal([2], 1f, 2f, 3f)));
        Assert.Equal("ATC1202", ImportError(b).Code);
    }

    [Fact]
    public void Output_index_references_and_control_inputs()
    {
        var b = new TfGraphBuilder();
        var x = b.Placeholder("x", [-1, 6]);
        var axis = b.ScalarInt32("axis", 1);
        var split = b.Op("Split", "split", [axis, x], ("num_split", TfAttr.Int(3)));
        var noop = b.Op("NoOp", "init", []);
        b.Op("AddV2", "sum", [split + ":2", split, "^" + noop]);

        var g = Import(b);
        AssertWellFormed(g);
        var splitNode = NodeNamed(g, "split");
        Assert.Equal(OpTypes.Split, splitNode.OpType);
        Assert.Equal(["split", "split:1", "split:2"], splitNode.Outputs.Select(v => v.Name));
        var sum = NodeNamed(g, "sum");
        Assert.Same(splitNode.Outputs[2], sum.Inputs[0]);
        Assert.Same(splitNode.Outputs[0], sum.Inputs[1]);
        Assert.Equal(2, sum.Inputs.Count); // the control input carries no value
        Assert.DoesNotContain(g.Nodes, n => n.Name == "init");
        // split:1 is unread but split is read, so only "sum" is an output.
        Assert.Equal(["sum"], g.Outputs.Select(v => v.Name));
    }

    [Fact]
    public void Unsorted_graph_comes_out_in_topological_order()
    {
        var b = new TfGraphBuilder();
        var x = b.Placeholder("x", [-1, 4]);
        var r = b.Relu("relu", x);
        var s = b.Sigmoid("sigmoid", r);
        b.AddV2("sum", r, s);
        // Reverse the GraphDef: consumers now come before their producers.
        var reversed = b.Graph.Node.Reverse().ToList();
        b.Graph.Node.Clear();
        b.Graph.Node.Add(reversed);

        var g = Import(b);
        AssertWellFormed(g);
        Assert.Equal(["relu", "sigmoid", "sum"], g.Nodes.Select(n => n.Name));
        Assert.Equal("x", Assert.Single(g.Inputs).Name);
    }

    [Fact]
    public void Placeholder_shapes_and_formats()
    {
        var b = new TfGraphBuilder();
        var image = b.Placeholder("image", [-1, 8, 8, 3]);
        var features = b.Placeholder("features", null);
        var nchw = b.Placeholder("nchw", [1, 3, 8, 8]);
        var ids = b.Placeholder("ids", [-1], Atc.Compiler.Frontends.TensorFlow.Proto.DataType.DtInt64);
        b.MaxPool("pool", b.Identity("image_id", image), 2, 2);
        b.MaxPool("pool_nchw", nchw, 2, 2, dataFormat: "NCHW");
        b.Relu("features_relu", features);
        b.Identity("ids_out", ids);

        var g = Import(b);
        Assert.Equal(["image", "features", "nchw", "ids"], g.Inputs.Select(v => v.Name));
        Assert.Equal([-1L, 8, 8, 3], g.Inputs[0].Shape!);
        Assert.Null(g.Inputs[1].Shape);
        Assert.Equal(DataType.Int64, g.Inputs[3].Type);
        Assert.Equal(TensorFormat.NHWC, g.InputFormats["image"]);
        Assert.Equal(TensorFormat.ND, g.InputFormats["features"]);
        Assert.Equal(TensorFormat.NCHW, g.InputFormats["nchw"]);
        Assert.Equal(TensorFormat.ND, g.InputFormats["ids"]);
        Assert.Equal(["pool", "pool_nchw", "features_relu", "ids_out"], g.Outputs.Select(v => v.Name));
    }

    [Fact]
    public void Conv2D_filter_is_relaid_from_HWIO_to_OIHW()
    {
        var b = new TfGraphBuilder();
        var x = b.Placeholder("x", [-1, 5, 5, 2]);
        // HWIO [2,1,2,3] with value = h*100 + w*10... encoded as h*1000 + w*100 + i*10 + o.
        var values = new List<float>();
        for (int h = 0; h < 2; h++) for (int w = 0; w < 1; w++) for (int i = 0; i < 2; i++) for (int o = 0; o < 3; o++)
            values.Add(h * 1000 + w * 100 + i * 10 + o);
        var filter = b.Const("w", [2, 1, 2, 3], [.. values]);
        b.Conv2D("conv", x, b.Identity("w/read", filter), stride: 2, padding: "VALID", dilation: 1);

        var g = Import(b);
        var conv = NodeNamed(g, "conv");
        Assert.Equal(OpTypes.Conv, conv.OpType);
        var oihw = conv.Inputs[1]!.Constant!;
        Assert.Equal([3, 2, 2, 1], oihw.Dims);
        var data = oihw.ToFloatArray();
        for (int o = 0; o < 3; o++) for (int i = 0; i < 2; i++) for (int h = 0; h < 2; h++)
            Assert.Equal(h * 1000 + i * 10 + o, data[((o * 2 + i) * 2 + h) * 1]);
        Assert.Equal("NHWC", conv.Attributes.GetString("layout", ""));
        Assert.Equal("VALID", conv.Attributes.GetString("auto_pad", ""));
        Assert.Equal([2L, 2L], conv.Attributes.GetInts("strides", []));
        Assert.Equal([1L, 1L], conv.Attributes.GetInts("dilations", []));
        Assert.Equal(1, conv.Attributes.GetInt("group", 0));
        Assert.Equal("Conv2D", conv.SourceOpType);
    }

    [Fact]
    public void Conv2D_with_explicit_padding_and_NCHW()
    {
        var b = new TfGraphBuilder();
        var x = b.Placeholder("x", [1, 2, 6, 6]);
        var conv = b.Conv2D("conv", x, b.Const("w", [3, 3, 2, 4], new float[72]), dataFormat: "NCHW");
        var node = b.Graph.Node.Single(n => n.Name == conv);
        node.Attr["padding"] = TfAttr.Str("EXPLICIT");
        node.Attr["explicit_paddings"] = TfAttr.Ints(0, 0, 0, 0, 1, 2, 3, 4); // N, C, H, W pairs
        b.BiasAdd("bias", conv, b.Const("b", [4], 1f, 2f, 3f, 4f), dataFormat: "NCHW");

        var g = Import(b);
        var ir = NodeNamed(g, "conv");
        Assert.Equal("NCHW", ir.Attributes.GetString("layout", ""));
        Assert.Equal("NOTSET", ir.Attributes.GetString("auto_pad", ""));
        Assert.Equal([1L, 3, 2, 4], ir.Attributes.GetInts("pads", []));
        var bias = NodeNamed(g, "bias");
        Assert.Equal(OpTypes.Add, bias.OpType);
        Assert.Equal([4, 1, 1], bias.Inputs[1]!.Constant!.Dims);
        Assert.Equal(TensorFormat.NCHW, g.InputFormats["x"]);
    }

    [Fact]
    public void Depthwise_filter_becomes_grouped_OIHW()
    {
        var b = new TfGraphBuilder();
        var x = b.Placeholder("x", [-1, 4, 4, 2]);
        // [kh=1, kw=2, C=2, M=2]: value = w*100 + c*10 + m.
        var values = new List<float>();
        for (int w = 0; w < 2; w++) for (int c = 0; c < 2; c++) for (int m = 0; m < 2; m++) values.Add(w * 100 + c * 10 + m);
        b.DepthwiseConv2dNative("dw", x, b.Const("f", [1, 2, 2, 2], [.. values]));

        var g = Import(b);
        var dw = NodeNamed(g, "dw");
        Assert.Equal(2, dw.Attributes.GetInt("group", 0));
        Assert.Equal("SAME_UPPER", dw.Attributes.GetString("auto_pad", ""));
        var weights = dw.Inputs[1]!.Constant!;
        Assert.Equal([4, 1, 1, 2], weights.Dims);
        var data = weights.ToFloatArray();
        for (int c = 0; c < 2; c++) for (int m = 0; m < 2; m++) for (int w = 0; w < 2; w++)
            Assert.Equal(w * 100 + c * 10 + m, data[(c * 2 + m) * 2 + w]);
    }

    [Fact]
    public void Pools_batch_norm_and_activations()
    {
        var b = new TfGraphBuilder();
        var x = b.Placeholder("x", [-1, 8, 8, 2]);
        var p = b.Const("p", [2], 1f, 1f);
        var bn = b.FusedBatchNormV3("bn", x, p, p, p, p, epsilon: 0.01f);
        b.AvgPool("avg", bn, 3, 2, "SAME");
        b.MaxPool("max", b.Relu6("relu6", bn), 2, 2);
        b.Op("LeakyRelu", "leaky", [bn]);
        b.Softmax("softmax", bn);

        var g = Import(b);
        var norm = NodeNamed(g, "bn");
        Assert.Equal(OpTypes.BatchNormalization, norm.OpType);
        Assert.Equal(5, norm.Inputs.Count);
        Assert.Equal(0.01f, norm.Attributes.GetFloat("epsilon", 0));
        Assert.Equal("NHWC", norm.Attributes.GetString("layout", ""));
        Assert.Single(norm.Outputs);
        var avg = NodeNamed(g, "avg");
        Assert.Equal(OpTypes.AveragePool, avg.OpType);
        Assert.Equal([3L, 3], avg.Attributes.GetInts("kernel_shape", []));
        Assert.Equal(0, avg.Attributes.GetInt("count_include_pad", -1));
        Assert.Equal("SAME_UPPER", avg.Attributes.GetString("auto_pad", ""));
        Assert.Equal(OpTypes.Clip, NodeNamed(g, "relu6").OpType);
        Assert.Equal(0.2f, NodeNamed(g, "leaky").Attributes.GetFloat("alpha", 0));
        Assert.Equal(-1, NodeNamed(g, "softmax").Attributes.GetInt("axis", 0));
        Assert.Equal(TensorFormat.NHWC, g.InputFormats["x"]);
    }

    [Fact]
    public void Dynamic_flatten_chain_uses_int64_shape_operands()
    {
        var b = new TfGraphBuilder();
        var x = b.Placeholder("x", [-1, 2, 2, 3]);
        b.FlattenDynamic("flatten", x, 12);

        var g = Import(b);
        AssertWellFormed(g);
        var shape = NodeNamed(g, "flatten/Shape");
        Assert.Equal(OpTypes.Cast, shape.OpType); // Shape (int64) then Cast to TensorFlow's int32 out_type
        Assert.Equal(DataType.Int32, shape.Outputs[0].Type);
        Assert.Equal(OpTypes.Shape, shape.Inputs[0]!.Producer!.OpType);

        var slice = NodeNamed(g, "flatten/strided_slice");
        Assert.Equal(OpTypes.StridedSlice, slice.OpType);
        Assert.Equal(1, slice.Attributes.GetInt("shrink_axis_mask", 0));
        Assert.All(slice.Inputs.Skip(1), v => Assert.Equal(DataType.Int64, v!.Type));

        var pack = NodeNamed(g, "flatten/Reshape/shape");
        Assert.Equal(OpTypes.Concat, pack.OpType);
        Assert.All(pack.Inputs, v => Assert.Equal(OpTypes.Unsqueeze, v!.Producer!.OpType));

        var reshape = NodeNamed(g, "flatten/Reshape");
        Assert.Equal(1, reshape.Attributes.GetInt("allowzero", 0));
        var cast = reshape.Inputs[1]!.Producer!;
        Assert.Equal(OpTypes.Cast, cast.OpType); // computed int32 shape → Cast to int64
        Assert.Equal((long)DataType.Int64, cast.Attributes.GetInt("to", 0));
        Assert.Same(pack.Outputs[0], cast.Inputs[0]);
    }

    [Fact]
    public void Reductions_pads_concat_and_squeeze()
    {
        var b = new TfGraphBuilder();
        var x = b.Placeholder("x", [-1, 4, 4, 3]);
        b.Mean("mean", x, [1, 2], keepDims: false);
        b.Op("Sum", "sum_nothing", [x, b.ConstInt32("no_axes", [0])], ("keep_dims", TfAttr.Bool(false)));
        b.Pad("pad", x, [[0, 0], [1, 2], [3, 4], [0, 0]]);
        b.ConcatV2("concat", [x, x], -1);
        b.Squeeze("squeeze", x, 0);
        var paddings = b.ConstInt32("mirror/paddings", [4, 2], 0, 0, 1, 1, 1, 1, 0, 0);
        b.Op("MirrorPad", "mirror", [x, paddings], ("mode", TfAttr.Str("REFLECT")));

        var g = Import(b);
        var mean = NodeNamed(g, "mean");
        Assert.Equal(OpTypes.ReduceMean, mean.OpType);
        Assert.Equal([1L, 2], mean.Attributes.GetInts("axes", []));
        Assert.Equal(0, mean.Attributes.GetInt("keepdims", 1));
        Assert.Equal(OpTypes.Identity, NodeNamed(g, "sum_nothing").OpType);
        var pad = NodeNamed(g, "pad");
        Assert.Equal([0L, 1, 3, 0, 0, 2, 4, 0], pad.Inputs[1]!.Constant!.ToInt64Array());
        Assert.Equal("constant", pad.Attributes.GetString("mode", ""));
        Assert.Equal("reflect", NodeNamed(g, "mirror").Attributes.GetString("mode", ""));
        var concat = NodeNamed(g, "concat");
        Assert.Equal(2, concat.Inputs.Count);
        Assert.Equal(-1, concat.Attributes.GetInt("axis", 0));
        Assert.Equal([0L], NodeNamed(g, "squeeze").Attributes.GetInts("axes", []));
    }

    [Fact]
    public void Matrix_ops_and_compound_elementwise_ops()
    {
        var b = new TfGraphBuilder();
        var x = b.Placeholder("x", [-1, 4]);
        var w = b.Const("w", [3, 4], new float[12]);
        b.MatMul("mm", x, w, transposeB: true);
        b.Op("SquaredDifference", "sqdiff", [x, x]);
        b.Op("Rsqrt", "rsqrt", [x]);
        b.Op("Square", "square", [x]);
        b.Op("AddN", "addn", [x, x, x]);
        b.Op("SelectV2", "select", [b.Op("Greater", "gt", [x, x]), x, x]);
        b.Op("Cast", "cast", [x], ("DstT", TfAttr.Type(Atc.Compiler.Frontends.TensorFlow.Proto.DataType.DtInt32)));

        var g = Import(b);
        AssertWellFormed(g);
        var mm = NodeNamed(g, "mm");
        Assert.Equal(OpTypes.Gemm, mm.OpType);
        Assert.Equal((0L, 1L), (mm.Attributes.GetInt("transA", -1), mm.Attributes.GetInt("transB", -1)));
        var sq = NodeNamed(g, "sqdiff");
        Assert.Equal(OpTypes.Mul, sq.OpType);
        Assert.Equal(OpTypes.Sub, sq.Inputs[0]!.Producer!.OpType);
        Assert.Equal(OpTypes.Reciprocal, NodeNamed(g, "rsqrt").OpType);
        Assert.Equal(OpTypes.Sqrt, NodeNamed(g, "rsqrt").Inputs[0]!.Producer!.OpType);
        Assert.Equal(OpTypes.Sum, NodeNamed(g, "addn").OpType);
        Assert.Equal(OpTypes.Where, NodeNamed(g, "select").OpType);
        Assert.Equal(DataType.Bool, NodeNamed(g, "gt").Outputs[0].Type);
        Assert.Equal(DataType.Int32, NodeNamed(g, "cast").Outputs[0].Type);
    }

    [Fact]
    public void Slice_size_minus_one_runs_to_the_end_and_unpack_squeezes_parts()
    {
        var b = new TfGraphBuilder();
        var x = b.Placeholder("x", [-1, 5, 3]);
        b.Op("Slice", "slice", [x, b.ConstInt32("begin", [3], 0, 1, 0), b.ConstInt32("size", [3], -1, 2, -1)]);
        b.Op("Unpack", "unpack", [x], ("num", TfAttr.Int(3)), ("axis", TfAttr.Int(2)));
        b.AddV2("sum", "unpack:1", "unpack:2");
        b.Op("ExpandDims", "expand", ["unpack", b.ScalarInt32("dim", -1)]);

        var g = Import(b);
        AssertWellFormed(g);
        var slice = NodeNamed(g, "slice");
        Assert.Equal([0L, 1, 0], slice.Inputs[1]!.Constant!.ToInt64Array());
        Assert.Equal([long.MaxValue, 3, long.MaxValue], slice.Inputs[2]!.Constant!.ToInt64Array());
        Assert.Equal([0L, 1, 2], slice.Inputs[3]!.Constant!.ToInt64Array());

        var part1 = ValueNamed(g, "unpack:1");
        Assert.Equal(OpTypes.Squeeze, part1.Producer!.OpType);
        Assert.Equal(OpTypes.Split, part1.Producer.Inputs[0]!.Producer!.OpType);
        Assert.Equal([2L], part1.Producer.Attributes.GetInts("axes", []));
        Assert.Same(part1, NodeNamed(g, "sum").Inputs[0]);
        Assert.Equal([-1L], NodeNamed(g, "expand").Attributes.GetInts("axes", []));
    }

    [Fact]
    public void Fill_transpose_tile_gather_and_range()
    {
        var b = new TfGraphBuilder();
        var x = b.Placeholder("x", [-1, 3]);
        b.Op("Fill", "fill", [b.ConstInt32("dims", [2], 2, 3), b.Const("v", TfTensors.FloatVal([], 7f))]);
        b.Op("Transpose", "transpose", [x, b.ConstInt32("perm", [2], 1, 0)]);
        b.Op("Tile", "tile", [x, b.ConstInt32("multiples", [2], 2, 1)]);
        b.Op("GatherV2", "gather", [x, b.ConstInt32("indices", [2], 0, 2), b.ScalarInt32("gather_axis", 1)]);
        b.Op("Range", "range", [b.ScalarInt32("start", 0), b.ScalarInt32("limit", 5), b.ScalarInt32("delta", 1)]);

        var g = Import(b);
        AssertWellFormed(g);
        var fill = NodeNamed(g, "fill");
        Assert.Equal(OpTypes.ConstantOfShape, fill.OpType);
        Assert.Equal([7f], fill.Attributes.GetTensor("value")!.ToFloatArray());
        Assert.Equal(DataType.Int64, fill.Inputs[0]!.Type);
        Assert.Equal([1L, 0], NodeNamed(g, "transpose").Attributes.GetInts("perm", []));
        Assert.Equal(DataType.Int64, NodeNamed(g, "tile").Inputs[1]!.Type);
        Assert.Equal(1, NodeNamed(g, "gather").Attributes.GetInt("axis", 0));
        Assert.Equal(DataType.Int32, NodeNamed(g, "range").Outputs[0].Type);
    }

    [Fact]
    public void Identity_of_a_constant_output_keeps_its_name()
    {
        var b = new TfGraphBuilder();
        b.Placeholder("x", [1]);
        b.Identity("w/read", b.Const("w", [1], 3f));

        var g = Import(b);
        var output = Assert.Single(g.Outputs);
        Assert.Equal("w/read", output.Name);
        Assert.Equal(OpTypes.Identity, output.Producer!.OpType);
        Assert.True(output.Producer.Inputs[0]!.IsConstant);
    }

    [Fact]
    public void Out_nodes_select_outputs_and_prune_unsupported_tails()
    {
        var b = new TfGraphBuilder();
        var x = b.Placeholder("x", [-1, 4]);
        var r = b.Relu("features", x);
        var s = b.Sigmoid("probabilities", r);
        b.Unary("UnsupportedPostprocess", "nms", s);

        Assert.Equal("ATC1200", ImportError(b).Code);
        var g = Import(b, [("probabilities", 0), ("features", 0)]);
        Assert.Equal(["probabilities", "features"], g.Outputs.Select(v => v.Name));
        Assert.DoesNotContain(g.Nodes, n => n.Name == "nms");
    }

    [Fact]
    public void Out_nodes_pick_a_later_output_of_a_node()
    {
        var b = new TfGraphBuilder();
        var x = b.Placeholder("x", [-1, 6]);
        b.Op("Split", "split", [b.ScalarInt32("axis", 1), x], ("num_split", TfAttr.Int(2)));
        Assert.Equal(["split", "split:1"], Import(b).Outputs.Select(v => v.Name));

        Assert.Equal("split:1", Assert.Single(Import(b, [("split", 1)]).Outputs).Name);
        var e = ImportError(b, [("splt", 0)]);
        Assert.Equal("E11017", e.Code);
        Assert.Contains("split", e.Fix);
    }

    [Fact]
    public void Half_constants_widen_to_float32()
    {
        var b = new TfGraphBuilder();
        var half = new Atc.Compiler.Frontends.TensorFlow.Proto.TensorProto
        {
            Dtype = Atc.Compiler.Frontends.TensorFlow.Proto.DataType.DtHalf,
            TensorShape = TfTensors.Shape([2]),
        };
        half.HalfVal.Add([BitConverter.HalfToInt16Bits((Half)1.5f), BitConverter.HalfToInt16Bits((Half)(-2f))]);
        b.AddV2("sum", b.Placeholder("x", [2]), b.Op("Cast", "to_float", [b.Const("h", half)], ("DstT", TfAttr.Type(Atc.Compiler.Frontends.TensorFlow.Proto.DataType.DtFloat))));

        var g = Import(b);
        var cast = NodeNamed(g, "to_float");
        Assert.Equal([1.5f, -2f], cast.Inputs[0]!.Constant!.ToFloatArray());
    }
}
