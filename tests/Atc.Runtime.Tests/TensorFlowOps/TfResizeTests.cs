using Atc.Compiler.Frontends.TensorFlow.Proto;
using DataType = Atc.Compiler.Frontends.TensorFlow.Proto.DataType;
using Atc.TestModels.TensorFlow;
using static Atc.Tests.TensorFlowOps.TfOpHarness;

namespace Atc.Tests.TensorFlowOps;

/// <summary>ResizeBilinear, ResizeNearestNeighbor and ResizeBicubic with every valid align_corners /
/// half_pixel_centers combination, up and down, against TensorFlow's scaler rules in float64.</summary>
public class TfResizeTests
{
    public static TheoryData<string, bool, bool, int, int> Cases()
    {
        var data = new TheoryData<string, bool, bool, int, int>();
        foreach (var op in new[] { "ResizeBilinear", "ResizeNearestNeighbor", "ResizeBicubic" })
            foreach (var (align, half) in new[] { (false, false), (true, false), (false, true) })
                foreach (var (h, w) in new[] { (11, 8), (3, 2), (1, 5) })
                    data.Add(op, align, half, h, w);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_the_reference(string op, bool alignCorners, bool halfPixelCenters, int outH, int outW)
    {
        var b = new TfGraphBuilder();
        var x = b.Placeholder("x", [-1, 5, 4, 3]);
        b.Op(op, "resized", [x, b.ConstInt32("size", [2], outH, outW)], ("T", TfAttr.Type(DataType.DtFloat)),
            ("align_corners", TfAttr.Bool(alignCorners)), ("half_pixel_centers", TfAttr.Bool(halfPixelCenters)));
        var (input, reference) = Random(7, 2, 5, 4, 3);

        var y = Assert.Single(Run(b, input));

        string mode = op switch { "ResizeBilinear" => "bilinear", "ResizeNearestNeighbor" => "nearest", _ => "bicubic" };
        AssertClose(TfReference.Resize(reference, outH, outW, mode, alignCorners, halfPixelCenters), y);
    }

    [Fact]
    public void Size_computed_from_the_input_shape_folds_per_gear()
    {
        // DeepLab's upsampling: resize to the image's own height and width, read with Shape → StridedSlice.
        var b = new TfGraphBuilder();
        var image = b.Placeholder("image", [-1, -1, -1, 2]);
        var small = b.Op("AvgPool", "small", [image], ("T", TfAttr.Type(DataType.DtFloat)), ("ksize", TfAttr.Ints(1, 2, 2, 1)),
            ("strides", TfAttr.Ints(1, 2, 2, 1)), ("padding", TfAttr.Str("VALID")), ("data_format", TfAttr.Str("NHWC")));
        var shape = b.Shape("shape", image);
        var hw = b.StridedSlice("hw", shape, b.ConstInt32("begin", [1], 1), b.ConstInt32("end", [1], 3), b.ConstInt32("stride", [1], 1));
        b.Op("ResizeBilinear", "up", [small, hw], ("T", TfAttr.Type(DataType.DtFloat)), ("align_corners", TfAttr.Bool(true)));
        var (input, reference) = Random(3, 1, 6, 4, 2);

        var y = Assert.Single(Run(b, input));

        var pooled = RefTensor.Zeros(1, 3, 2, 2);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 2; j++)
                for (int k = 0; k < 2; k++)
                    pooled[0, i, j, k] = (reference[0, 2 * i, 2 * j, k] + reference[0, 2 * i + 1, 2 * j, k]
                        + reference[0, 2 * i, 2 * j + 1, k] + reference[0, 2 * i + 1, 2 * j + 1, k]) / 4;
        AssertClose(TfReference.Resize(pooled, 6, 4, "bilinear", alignCorners: true, halfPixelCenters: false), y);
    }
}
