using Atc.Runtime.Core;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.TensorOps.Transpose;

/// <summary>
/// DepthToSpace / SpaceToDepth: attrs blocksize, mode ("DCR" default, "CRD"; DepthToSpace only), layout
/// ("NCHW" default, "NHWC" for TensorFlow). Both are a reshape, a transpose and a reshape, so they run on the
/// transpose kernel with a 6-D view.
/// </summary>
internal sealed class DepthToSpaceOperator(string opType) : Operator(opType)
{
    private bool ToSpace => OpType == OpTypes.DepthToSpace;

    public override TensorType[] InferOutputs(OpContext context)
    {
        var x = RequireType(context, 0, Numeric.Any);
        var (_, _, output) = Plan(context, x);
        return One(x.Type, output);
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var x = context.Input(0);
        var (view, perm, _) = Plan(context, x);
        return TransposeKernel.Create(x.Type.SizeOf(), TransposePlan.Create(view, perm));
    }

    private (int[] View, int[] Perm, int[] Output) Plan(OpContext context, TensorType x)
    {
        if (x.Rank != 4) throw Error($"input must be 4-D, got {Shape.Format(x.Dims)}");
        long blockAttr = context.Attributes.GetInt("blocksize", 0);
        if (blockAttr < 1 || blockAttr > 4096) throw Error($"blocksize {blockAttr} must be a positive integer");
        int b = (int)blockAttr;
        bool nhwc = Layout(context);
        string mode = context.Attributes.GetString("mode", "DCR");
        if (mode is not ("DCR" or "CRD")) throw Error($"mode '{mode}' must be DCR or CRD");
        bool crd = ToSpace && mode == "CRD";
        int n = x.Dims[0];
        int c = nhwc ? x.Dims[3] : x.Dims[1], h = nhwc ? x.Dims[1] : x.Dims[2], w = nhwc ? x.Dims[2] : x.Dims[3];
        if (ToSpace)
        {
            if (c % (b * b) != 0) throw Error($"channels {c} of {Shape.Format(x.Dims)} are not divisible by blocksize² = {b * b}");
            int cOut = c / (b * b);
            int[] output = nhwc ? [n, h * b, w * b, cOut] : [n, cOut, h * b, w * b];
            if (nhwc)
                return crd ? ([n, h, w, cOut, b, b], [0, 1, 4, 2, 5, 3], output) : ([n, h, w, b, b, cOut], [0, 1, 3, 2, 4, 5], output);
            return crd ? ([n, cOut, b, b, h, w], [0, 1, 4, 2, 5, 3], output) : ([n, b, b, cOut, h, w], [0, 3, 4, 1, 5, 2], output);
        }
        if (h % b != 0 || w % b != 0) throw Error($"height {h} and width {w} of {Shape.Format(x.Dims)} must be divisible by blocksize {b}");
        int ho = h / b, wo = w / b;
        return nhwc
            ? ([n, ho, b, wo, b, c], [0, 1, 3, 2, 4, 5], [n, ho, wo, c * b * b])
            : ([n, c, ho, b, wo, b], [0, 3, 5, 1, 2, 4], [n, c * b * b, ho, wo]);
    }

    private bool Layout(OpContext context)
    {
        string layout = context.Attributes.GetString("layout", "NCHW");
        return layout switch
        {
            "NCHW" => false,
            "NHWC" => true,
            _ => throw Error($"layout '{layout}' must be NCHW or NHWC"),
        };
    }
}
