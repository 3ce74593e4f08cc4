using Atc.Compiler.Frontends.TensorFlow.Proto;
using Atc.Runtime.Operators;
using Atc.TestModels.TensorFlow;
using static Atc.Compiler.Tests.TensorFlow.TfTestSupport;

namespace Atc.Compiler.Tests.TensorFlow;

/// <summary>What the resize, block and transposed-conv lowerings emit, and the coded errors for inputs TensorFlow
/// itself rejects.</summary>
public class TensorFlowImageOpImportTests
{
    private static (string, AttrValue) Float => ("T", TfAttr.Type(DataType.DtFloat));

    [Theory]
    [InlineData("ResizeBilinear", false, false, "linear", "asymmetric", null)]
    [InlineData("ResizeBilinear", true, false, "linear", "align_corners", null)]
    [InlineData("ResizeBilinear", false, true, "linear", "half_pixel", null)]
    [InlineData("ResizeNearestNeighbor", false, false, "nearest", "asymmetric", "floor")]
    [InlineData("ResizeNearestNeighbor", true, false, "nearest", "align_corners", "round_prefer_ceil")]
    [InlineData("ResizeNearestNeighbor", false, true, "nearest", "tf_half_pixel_for_nn", "floor")]
    [InlineData("ResizeBicubic", false, true, "cubic", "half_pixel", null)]
    public void Resize_flags_pick_the_coordinate_mode(string op, bool align, bool half, string mode, string coordinates, string? nearest)
    {
        var b = new TfGraphBuilder();
        var x = b.Placeholder("x", [1, 4, 4, 3]);
        b.Op(op, "resized", [x, b.ConstInt32("size", [2], 8, 8)], Float, ("align_corners", TfAttr.Bool(align)), ("half_pixel_centers", TfAttr.Bool(half)));

        var g = Import(b);
        AssertWellFormed(g);
        var resize = NodeNamed(g, "resized");
        Assert.Equal(OpTypes.Resize, resize.OpType);
        Assert.Equal(mode, resize.Attributes.GetString("mode", ""));
        Assert.Equal(coordinates, resize.Attributes.GetString("coordinate_transformation_mode", ""));
        Assert.Equal("NHWC", resize.Attributes.GetString("layout", ""));
        if (nearest is not null) Assert.Equal(nearest, resize.Attributes.GetString("nearest_mode", ""));
        Assert.Equal([8L, 8], resize.Inputs[2]!.Constant!.ToInt64Array());
    }

    [Fact]
    public void Resize_with_both_flags_is_a_coded_error()
    {
        var b = new TfGraphBuilder();
        var x = b.Placeholder("x", [1, 4, 4, 3]);
        b.Op("ResizeBilinear", "resized", [x, b.ConstInt32("size", [2], 8, 8)], Float, ("align_corners", TfAttr.Bool(true)), ("half_pixel_centers", TfAttr.Bool(true)));

        var d = ImportError(b);
        Assert.Equal("ATC1202", d.Code);
        Assert.Contains("[resized]", d.Message);
        Assert.Contains("align_corners and half_pixel_centers", d.Message);
    }

    [Fact]
    public void Resize_to_a_zero_size_is_a_coded_error()
    {
        var b = new TfGraphBuilder();
        var x = b.Placeholder("x", [1, 4, 4, 3]);
        b.Op("ResizeNearestNeighbor", "resized", [x, b.ConstInt32("size", [2], 0, 8)], Float);

        var d = ImportError(b);
        Assert.Equal("ATC1202", d.Code);
        Assert.Contains("[0,8]", d.Message);
    }

    [Fact]
    public void SpaceToBatch_paddings_that_do_not_divide_are_a_coded_error()
    {
        var b = new TfGraphBuilder();
        var x = b.Placeholder("x", [-1, 5, 4, 2]);
        b.Op("SpaceToBatchND", "s2b", [x, b.ConstInt32("block", [2], 2, 2), b.ConstInt32("paddings", [2, 2], 0, 0, 0, 0)], Float);

        var d = ImportError(b);
        Assert.Equal("ATC1202", d.Code);
        Assert.Contains("[s2b]", d.Message);
        Assert.Contains("size 5", d.Message);
        Assert.Contains("block size 2", d.Message);
    }

    [Fact]
    public void Block_operands_of_the_wrong_shape_are_a_coded_error()
    {
        var b = new TfGraphBuilder();
        var x = b.Placeholder("x", [-1, 4, 4, 2]);
        b.Op("BatchToSpaceND", "b2s", [x, b.ConstInt32("block", [2], 2, 2), b.ConstInt32("crops", [2], 0, 0)], Float);

        var d = ImportError(b);
        Assert.Equal("ATC1202", d.Code);
        Assert.Contains("crops", d.Message);
        Assert.Contains("[2, 2]", d.Message);
    }

    [Theory]
    [InlineData(0, 2)]
    [InlineData(65536, 65536)]
    public void Block_shapes_out_of_range_are_a_coded_error(int first, int second)
    {
        var b = new TfGraphBuilder();
        var x = b.Placeholder("x", [-1, 4, 4, 2]);
        b.Op("SpaceToBatchND", "s2b", [x, b.ConstInt32("block", [2], first, second), b.ConstInt32("paddings", [2, 2], 0, 0, 0, 0)], Float);

        var d = ImportError(b);
        Assert.Equal("ATC1202", d.Code);
        Assert.Contains("[" + first + "," + second + "]", d.Message);
    }

    [Fact]
    public void Bilinear_resize_of_integer_images_casts_to_float_first()
    {
        // TensorFlow's ResizeBilinear returns float32 for uint8 images.
        var b = new TfGraphBuilder();
        var x = b.Placeholder("x", [1, 4, 4, 3], DataType.DtUint8);
        b.Op("ResizeBilinear", "resized", [x, b.ConstInt32("size", [2], 8, 8)], ("T", TfAttr.Type(DataType.DtUint8)));

        var g = Import(b);
        AssertWellFormed(g);
        var resize = NodeNamed(g, "resized");
        Assert.Equal(OpTypes.Cast, resize.Inputs[0]!.Producer!.OpType);
        Assert.Equal(Atc.Runtime.DataType.Float32, resize.Outputs[0].Type);
    }

    [Fact]
    public void Conv2DBackpropInput_gradient_of_the_wrong_size_is_a_coded_error()
    {
        var b = new TfGraphBuilder();
        var dy = b.Placeholder("dy", [-1, 5, 4, 2]);
        b.Op("Conv2DBackpropInput", "dx", [b.ConstInt32("sizes", [4], 1, 7, 7, 3), b.Const("filter", TfTensors.Float([3, 3, 3, 2], new float[54])), dy], Float,
            ("strides", TfAttr.Ints(1, 2, 2, 1)), ("padding", TfAttr.Str("SAME")));

        var d = ImportError(b);
        Assert.Equal("ATC1202", d.Code);
        Assert.Contains("has size 5 on axis 1", d.Message);
        Assert.Contains("gives 4", d.Message);
    }

    [Fact]
    public void DepthToSpace_block_size_below_two_is_a_coded_error()
    {
        var b = new TfGraphBuilder();
        var x = b.Placeholder("x", [1, 2, 2, 4]);
        b.Op("DepthToSpace", "d2s", [x], Float, ("block_size", TfAttr.Int(1)));

        var d = ImportError(b);
        Assert.Equal("ATC1202", d.Code);
        Assert.Contains("block_size 1", d.Message);
    }

    [Fact]
    public void Conv2DBackpropInput_with_computed_input_sizes_is_reported_unsupported()
    {
        var b = new TfGraphBuilder();
        var dy = b.Placeholder("dy", [-1, 4, 4, 2]);
        var sizes = b.Shape("sizes", b.Placeholder("like", [-1, 8, 8, 3]));
        b.Op("Conv2DBackpropInput", "dx", [sizes, b.Const("filter", TfTensors.Float([3, 3, 3, 2], new float[54])), dy], Float,
            ("strides", TfAttr.Ints(1, 2, 2, 1)), ("padding", TfAttr.Str("SAME")));

        var d = ImportError(b);
        Assert.Equal("ATC1200", d.Code);
        Assert.Contains("Conv2DBackpropInput (non-constant input_sizes)", d.Message);
    }

    [Fact]
    public void Conv2DBackpropInput_channel_mismatch_is_a_coded_error()
    {
        var b = new TfGraphBuilder();
        var dy = b.Placeholder("dy", [-1, 4, 4, 2]);
        b.Op("Conv2DBackpropInput", "dx", [b.ConstInt32("sizes", [4], 1, 8, 8, 5), b.Const("filter", TfTensors.Float([3, 3, 3, 2], new float[54])), dy], Float,
            ("strides", TfAttr.Ints(1, 2, 2, 1)), ("padding", TfAttr.Str("SAME")));

        var d = ImportError(b);
        Assert.Equal("ATC1202", d.Code);
        Assert.Contains("[dx]", d.Message);
        Assert.Contains("has 5", d.Message);
    }

    [Fact]
    public void Conv2DBackpropInput_becomes_a_ConvTranspose_with_tensorflow_pads()
    {
        // SAME, 7 rows, stride 2, 3 taps: the forward conv pads 1 before and 1 after; the transposed conv's full
        // length 9 is cropped by 1 at each end.
        var b = new TfGraphBuilder();
        var dy = b.Placeholder("dy", [-1, 4, 4, 2]);
        b.Op("Conv2DBackpropInput", "dx", [b.ConstInt32("sizes", [4], 1, 7, 7, 3), b.Const("filter", TfTensors.Float([3, 3, 3, 2], new float[54])), dy], Float,
            ("strides", TfAttr.Ints(1, 2, 2, 1)), ("padding", TfAttr.Str("SAME")));

        var convTranspose = NodeNamed(Import(b), "dx");
        Assert.Equal(OpTypes.ConvTranspose, convTranspose.OpType);
        Assert.Equal([1L, 1, 1, 1], convTranspose.Attributes.GetInts("pads", []));
        Assert.Equal([0L, 0], convTranspose.Attributes.GetInts("output_padding", []));
        Assert.Equal([2, 3, 3, 3], convTranspose.Inputs[1]!.Constant!.Dims);
    }
}
