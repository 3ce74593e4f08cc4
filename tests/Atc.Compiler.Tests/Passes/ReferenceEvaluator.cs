using Atc.Compiler.Ir;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Tests.Passes;

/// <summary>
/// A deliberately naive interpreter (double accumulation, no packing) for the few ops the pass tests build, including
/// the compiler's fusion attrs, so that tests can check that a rewritten graph computes what the original did.
/// Conv supports 2-D, group 1, unit strides and dilations, explicit pads only.
/// </summary>
internal static partial class ReferenceEvaluator
{
    public sealed record Tensor(int[] Dims, float[] Data);

    public static Dictionary<string, Tensor> Run(Graph graph, IReadOnlyDictionary<string, Tensor> feeds)
    {
        var values = new Dictionary<Value, Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var input in graph.Inputs) values[input] = feeds[input.Name];
        Tensor Get(Value v) => v.Constant is { } c ? new Tensor(c.Dims, c.ToFloatArray()) : values[v];

        foreach (var node in graph.Nodes)
        {
            var ins = node.Inputs.Select(v => v is null ? null : Get(v)).ToArray();
            var a = node.Attributes;
            Tensor output = node.OpType switch
            {
                OpTypes.Identity => ins[0]!,
                OpTypes.Relu => Map(ins[0]!, x => Math.Max(x, 0)),
                OpTypes.Sigmoid => Map(ins[0]!, x => 1 / (1 + Math.Exp(-x))),
                OpTypes.Clip => Map(ins[0]!, x => Math.Clamp(x,
                    ins.Length > 1 && ins[1] is { } lo ? lo.Data[0] : a.GetFloat("min", float.NegativeInfinity),
                    ins.Length > 2 && ins[2] is { } hi ? hi.Data[0] : a.GetFloat("max", float.PositiveInfinity))),
                OpTypes.Add => Binary(ins[0]!, ins[1]!, (x, y) => x + y),
                OpTypes.Mul => Binary(ins[0]!, ins[1]!, (x, y) => x * y),
                OpTypes.BatchNormalization => BatchNorm(ins, a),
                OpTypes.Conv => IntoSlice(Epilogue(Conv(ins, a), ins.Length > 3 ? ins[3] : null, a), ins.Length > 4 ? ins[4] : null, a),
                OpTypes.Concat => Concat(ins, a.GetInt("axis", 0)),
                OpTypes.Gemm => Epilogue(Gemm(ins, a), null, a),
                OpTypes.MatMul => ins[1]!.Dims.Length == 2 ? MatMul(ins[0]!, ins[1]!) : BatchedMatMul(ins[0]!, ins[1]!),
                OpTypes.Sub => Binary(ins[0]!, ins[1]!, (x, y) => x - y),
                OpTypes.Div => Binary(ins[0]!, ins[1]!, (x, y) => x / y),
                OpTypes.Softmax => SoftmaxLastAxis(ins[0]!),
                OpTypes.Attention => Attention(ins, a),
                OpTypes.FusedElementwise => FusedElementwise(ins, a),
                OpTypes.Reshape => Reshape(ins[0]!, node.Inputs[1]!.Constant!.ToInt64Array()),
                OpTypes.Transpose => Transpose(ins[0]!, a.GetInts("perm", [])),
                _ => throw new NotSupportedException(node.OpType),
            };
            values[node.Outputs[0]] = output;
        }
        return graph.Outputs.ToDictionary(v => v.Name, Get);
    }

    /// <summary>Runs <paramref name="rewrite"/> on the builder's graph and checks that the graph stays valid and computes
    /// what it computed before, on random inputs.</summary>
    public static void AssertRewriteKeepsResults(TestGraphBuilder b, Action rewrite)
    {
        var feeds = b.RandomInputs();
        var before = Run(b.Graph, feeds);
        rewrite();
        Assert.Null(Atc.Compiler.Passes.GraphInvariants.FindProblem(b.Graph));
        AssertClose(before, Run(b.Graph, feeds));
    }

    public static void AssertClose(Dictionary<string, Tensor> expected, Dictionary<string, Tensor> actual, double tolerance = 1e-4)
    {
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, e) in expected)
        {
            var got = actual[name];
            Assert.Equal(e.Dims, got.Dims);
            for (int i = 0; i < e.Data.Length; i++)
                Assert.True(Math.Abs(e.Data[i] - got.Data[i]) <= tolerance * (1 + Math.Abs(e.Data[i])),
                    $"{name}[{i}]: expected {e.Data[i]}, got {got.Data[i]}");
        }
    }

    private static Tensor Map(Tensor x, Func<double, double> f) => new(x.Dims, [.. x.Data.Select(v => (float)f(v))]);

    private static Tensor Binary(Tensor x, Tensor y, Func<double, double, double> f)
    {
        int[] dims = Shape.Broadcast(x.Dims, y.Dims);
        var result = new float[Shape.ElementCount(dims)];
        var index = new int[dims.Length];
        for (int i = 0; i < result.Length; i++)
        {
            Unravel(i, dims, index);
            result[i] = (float)f(x.Data[BroadcastOffset(index, x.Dims)], y.Data[BroadcastOffset(index, y.Dims)]);
        }
        return new Tensor(dims, result);
    }

    private static Tensor BatchNorm(Tensor?[] ins, OpAttributes a)
    {
        var x = ins[0]!;
        int axis = a.GetString("layout", "NCHW") == "NHWC" ? x.Dims.Length - 1 : 1;
        double eps = a.GetFloat("epsilon", 1e-5f);
        var result = new float[x.Data.Length];
        var index = new int[x.Dims.Length];
        for (int i = 0; i < result.Length; i++)
        {
            Unravel(i, x.Dims, index);
            int c = index[axis];
            double s = ins[1]!.Data[c] / Math.Sqrt(ins[4]!.Data[c] + eps);
            result[i] = (float)(s * (x.Data[i] - ins[3]!.Data[c]) + ins[2]!.Data[c]);
        }
        return new Tensor(x.Dims, result);
    }

    private static Tensor Conv(Tensor?[] ins, OpAttributes a)
    {
        Assert.Equal(1, a.GetInt("group", 1));
        Assert.All(a.GetInts("strides", [1, 1]), s => Assert.Equal(1, s));
        bool nhwc = a.GetString("layout", "NCHW") == "NHWC";
        var x = ins[0]!;
        var w = ins[1]!;
        long[] pads = a.GetInts("pads", [0, 0, 0, 0]);
        int n = x.Dims[0], c = nhwc ? x.Dims[3] : x.Dims[1], h = nhwc ? x.Dims[1] : x.Dims[2], wd = nhwc ? x.Dims[2] : x.Dims[3];
        int o = w.Dims[0], kh = w.Dims[2], kw = w.Dims[3];
        int oh = h + (int)(pads[0] + pads[2]) - kh + 1, ow = wd + (int)(pads[1] + pads[3]) - kw + 1;
        int[] dims = nhwc ? [n, oh, ow, o] : [n, o, oh, ow];
        var y = new float[Shape.ElementCount(dims)];
        float X(int b, int ch, int i, int j) => nhwc ? x.Data[((b * h + i) * wd + j) * c + ch] : x.Data[((b * c + ch) * h + i) * wd + j];
        for (int b = 0; b < n; b++)
            for (int oc = 0; oc < o; oc++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++)
                    {
                        double sum = ins.Length > 2 && ins[2] is { } bias ? bias.Data[oc] : 0;
                        for (int ic = 0; ic < c; ic++)
                            for (int p = 0; p < kh; p++)
                                for (int q = 0; q < kw; q++)
                                {
                                    int si = i + p - (int)pads[0], sj = j + q - (int)pads[1];
                                    if (si < 0 || si >= h || sj < 0 || sj >= wd) continue;
                                    sum += X(b, ic, si, sj) * w.Data[((oc * c + ic) * kh + p) * kw + q];
                                }
                        int at = nhwc ? ((b * oh + i) * ow + j) * o + oc : ((b * o + oc) * oh + i) * ow + j;
                        y[at] = (float)sum;
                    }
        return new Tensor(dims, y);
    }

    /// <summary>The in-place Concat form of Conv: its channels at [concat_offset, ..) of concat_channels, the rest from "into" (else 0).</summary>
    private static Tensor IntoSlice(Tensor y, Tensor? into, OpAttributes a)
    {
        long total = a.GetInt("concat_channels", 0);
        if (total == 0) return y;
        int offset = (int)a.GetInt("concat_offset", 0), o = y.Dims[^1];
        int[] dims = [.. y.Dims[..^1], (int)total];
        var result = into is null ? new float[Shape.ElementCount(dims)] : (float[])into.Data.Clone();
        for (int p = 0; p < y.Data.Length / o; p++)
            for (int c = 0; c < o; c++) result[p * total + offset + c] = y.Data[p * o + c];
        return new Tensor(dims, result);
    }

    private static Tensor Concat(Tensor?[] ins, long axis)
    {
        var parts = ins.Select(t => t!).ToArray();
        int rank = parts[0].Dims.Length, ax = (int)(axis < 0 ? axis + rank : axis);
        int outer = parts[0].Dims[..ax].Aggregate(1, (p, d) => p * d);
        int inner = parts[0].Dims[(ax + 1)..].Aggregate(1, (p, d) => p * d);
        int[] dims = [.. parts[0].Dims];
        dims[ax] = parts.Sum(t => t.Dims[ax]);
        var result = new List<float>();
        for (int i = 0; i < outer; i++)
            foreach (var t in parts)
                result.AddRange(t.Data.AsSpan(i * t.Dims[ax] * inner, t.Dims[ax] * inner).ToArray());
        return new Tensor(dims, [.. result]);
    }

    private static Tensor Gemm(Tensor?[] ins, OpAttributes a)
    {
        var x = ins[0]!;
        var w = ins[1]!;
        bool ta = a.GetInt("transA", 0) != 0, tb = a.GetInt("transB", 0) != 0;
        double alpha = a.GetFloat("alpha", 1f), beta = a.GetFloat("beta", 1f);
        int m = ta ? x.Dims[1] : x.Dims[0], k = ta ? x.Dims[0] : x.Dims[1], n = tb ? w.Dims[0] : w.Dims[1];
        var y = new float[m * n];
        var c = ins.Length > 2 ? ins[2] : null;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                    sum += x.Data[ta ? p * m + i : i * k + p] * w.Data[tb ? j * k + p : p * n + j];
                double bias = c is null ? 0 : c.Data[BroadcastOffset([i, j], c.Dims)];
                y[i * n + j] = (float)(alpha * sum + beta * bias);
            }
        return new Tensor([m, n], y);
    }

    private static Tensor MatMul(Tensor x, Tensor w)
    {
        Assert.Equal(2, w.Dims.Length);
        int k = w.Dims[0], n = w.Dims[1];
        int rows = x.Data.Length / k;
        var y = new float[rows * n];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++) sum += x.Data[i * k + p] * w.Data[p * n + j];
                y[i * n + j] = (float)sum;
            }
        return new Tensor([.. x.Dims[..^1], n], y);
    }

    private static Tensor Epilogue(Tensor y, Tensor? residual, OpAttributes a)
    {
        var data = (float[])y.Data.Clone();
        if (residual is not null) for (int i = 0; i < data.Length; i++) data[i] += residual.Data[i];
        string activation = a.GetString("activation", "");
        for (int i = 0; i < data.Length; i++)
            data[i] = activation switch
            {
                "" => data[i],
                "Relu" => Math.Max(data[i], 0),
                "Clip" => Math.Clamp(data[i], a.GetFloat("activation_min", float.NaN), a.GetFloat("activation_max", float.NaN)),
                _ => throw new NotSupportedException(activation),
            };
        return new Tensor(y.Dims, data);
    }

    private static Tensor Reshape(Tensor x, long[] shape)
    {
        var dims = new int[shape.Length];
        int unknown = -1;
        long known = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] == -1) { unknown = i; continue; }
            dims[i] = shape[i] == 0 ? x.Dims[i] : (int)shape[i];
            known *= dims[i];
        }
        if (unknown >= 0) dims[unknown] = (int)(x.Data.Length / known);
        Assert.Equal(x.Data.Length, Shape.ElementCount(dims));
        return new Tensor(dims, x.Data);
    }

    public static Tensor Transpose(Tensor x, long[] perm)
    {
        int rank = x.Dims.Length;
        if (perm.Length == 0) perm = [.. Enumerable.Range(0, rank).Reverse().Select(i => (long)i)];
        int[] dims = [.. perm.Select(p => x.Dims[p])];
        var result = new float[x.Data.Length];
        var outIndex = new int[rank];
        var inIndex = new int[rank];
        for (int i = 0; i < result.Length; i++)
        {
            Unravel(i, dims, outIndex);
            for (int d = 0; d < rank; d++) inIndex[perm[d]] = outIndex[d];
            result[i] = x.Data[BroadcastOffset(inIndex, x.Dims)];
        }
        return new Tensor(dims, result);
    }

    private static void Unravel(int flat, int[] dims, int[] index)
    {
        for (int d = dims.Length - 1; d >= 0; d--) { index[d] = flat % dims[d]; flat /= dims[d]; }
    }

    /// <summary>Row-major offset in a tensor of <paramref name="dims"/> broadcast (right-aligned) to the index's rank.</summary>
    private static int BroadcastOffset(int[] index, int[] dims)
    {
        int offset = 0, shift = index.Length - dims.Length;
        for (int d = 0; d < dims.Length; d++) offset = offset * dims[d] + (dims[d] == 1 ? 0 : index[d + shift]);
        return offset;
    }
}
