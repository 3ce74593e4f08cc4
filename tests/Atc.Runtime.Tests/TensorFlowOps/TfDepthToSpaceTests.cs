using Atc.Compiler.Frontends.TensorFlow.Proto;
using DataType = Atc.Compiler.Frontends.TensorFlow.Proto.DataType;
using Atc.Runtime;
using Atc.TestModels.TensorFlow;
using static Atc.Tests.TensorFlowOps.TfOpHarness;

namespace Atc.Tests.TensorFlowOps;

/// <summary>DepthToSpace / SpaceToDepth in both data formats: TensorFlow orders the moved channels as (block row,
/// block column, channel) in NHWC and NCHW alike.</summary>
public class TfDepthToSpaceTests
{
    [Theory]
    [InlineData("DepthToSpace", "NHWC", 2)]
    [InlineData("DepthToSpace", "NCHW", 2)]
    [InlineData("DepthToSpace", "NHWC", 3)]
    [InlineData("SpaceToDepth", "NHWC", 2)]
    [InlineData("SpaceToDepth", "NCHW", 2)]
    [InlineData("SpaceToDepth", "NCHW", 3)]
    public void Matches_the_reference(string op, string format, int block)
    {
        bool toSpace = op == "DepthToSpace";
        int[] nhwc = toSpace ? [2, 3, 2, 2 * block * block] : [2, 2 * block, 3 * block, 2];
        bool nchw = format == "NCHW";
        int[] dims = nchw ? [nhwc[0], nhwc[3], nhwc[1], nhwc[2]] : nhwc;

        var b = new TfGraphBuilder();
        var x = b.Placeholder("x", [-1, .. dims.Skip(1).Select(d => (long)d)]);
        b.Op(op, "moved", [x], ("T", TfAttr.Type(DataType.DtFloat)), ("block_size", TfAttr.Int(block)), ("data_format", TfAttr.Str(format)));
        var (_, reference) = Random(41, nhwc);
        var feed = nchw ? TfReference.Transpose(reference, 0, 3, 1, 2) : reference;

        var y = Assert.Single(Run(b, TensorData.Float(feed.Dims, feed.ToFloats())));

        var expected = toSpace ? TfReference.DepthToSpace(reference, block) : TfReference.SpaceToDepth(reference, block);
        AssertClose(nchw ? TfReference.Transpose(expected, 0, 3, 1, 2) : expected, y, relative: 0);
    }
}
