using Atc.Runtime.Operators;

namespace Atc.Compiler.Ir;

/// <summary>
/// How many inputs each canonical op takes (<see cref="OpTypes"/>): the first <see cref="MinInputs"/> are required
/// (present and not omitted), up to <see cref="MaxInputs"/> may be given. Checked once after import
/// (<see cref="Frontends.ImportedGraphCheck"/>) so that passes and shape rules can index a node's inputs without guarding
/// against a malformed file. The maxima include the inputs the compiler's own fusions add (Conv's residual and
/// "into", Gemm's residual).
/// </summary>
public readonly record struct OpArity(int MinInputs, int MaxInputs)
{
    private const int Variadic = int.MaxValue;

    /// <summary>The arity of a canonical op; false for an op type outside the canonical set (left to the planner).</summary>
    public static bool TryGet(string opType, out OpArity arity) => Table.TryGetValue(opType, out arity);

    /// <summary>"1 input", "2 to 5 inputs", "1 or more inputs".</summary>
    public string Describe() => MaxInputs == Variadic ? $"{MinInputs} or more inputs"
        : MinInputs == MaxInputs ? Inputs(MinInputs)
        : $"{MinInputs} to {Inputs(MaxInputs)}";

    private static string Inputs(int n) => n == 1 ? "1 input" : $"{n} inputs";

    private static readonly Dictionary<string, OpArity> Table = Build();

    private static Dictionary<string, OpArity> Build()
    {
        var t = new Dictionary<string, OpArity>(StringComparer.Ordinal);
        void Set(OpArity arity, params string[] ops) { foreach (var op in ops) t[op] = arity; }

        Set(new(2, 2), OpTypes.Add, OpTypes.Sub, OpTypes.Mul, OpTypes.Div, OpTypes.Pow, OpTypes.Mod, OpTypes.Equal,
            OpTypes.Less, OpTypes.Greater, OpTypes.LessOrEqual, OpTypes.GreaterOrEqual, OpTypes.And, OpTypes.Or,
            OpTypes.Xor, OpTypes.PRelu, OpTypes.BitShift, OpTypes.MatMul, OpTypes.Gather, OpTypes.GatherElements,
            OpTypes.GatherND, OpTypes.Expand, OpTypes.Tile, OpTypes.CumSum, OpTypes.TopK);
        Set(new(1, Variadic), OpTypes.Max, OpTypes.Min, OpTypes.Sum, OpTypes.Mean, OpTypes.Concat, OpTypes.Einsum);
        Set(new(3, 3), OpTypes.Where, OpTypes.ScatterElements, OpTypes.ScatterND, OpTypes.OneHot, OpTypes.Range,
            OpTypes.InstanceNormalization);
        Set(new(1, 1), OpTypes.Not, OpTypes.Relu, OpTypes.Sigmoid, OpTypes.Tanh, OpTypes.Exp, OpTypes.Log, OpTypes.Sqrt,
            OpTypes.Neg, OpTypes.Abs, OpTypes.Reciprocal, OpTypes.Floor, OpTypes.Ceil, OpTypes.Round, OpTypes.Erf,
            OpTypes.Softplus, OpTypes.Softsign, OpTypes.Sign, OpTypes.Sin, OpTypes.Cos, OpTypes.Identity, OpTypes.Tan,
            OpTypes.Asin, OpTypes.Acos, OpTypes.Atan, OpTypes.Sinh, OpTypes.Cosh, OpTypes.Asinh, OpTypes.Acosh,
            OpTypes.Atanh, OpTypes.IsNaN, OpTypes.IsInf, OpTypes.Clip, OpTypes.LeakyRelu, OpTypes.Elu, OpTypes.Selu,
            OpTypes.HardSigmoid, OpTypes.HardSwish, OpTypes.Shrink, OpTypes.ThresholdedRelu, OpTypes.Celu, OpTypes.Cast,
            OpTypes.Softmax, OpTypes.LogSoftmax, OpTypes.LRN, OpTypes.MaxPool, OpTypes.AveragePool,
            OpTypes.GlobalAveragePool, OpTypes.GlobalMaxPool, OpTypes.Flatten, OpTypes.Squeeze, OpTypes.Unsqueeze,
            OpTypes.Transpose, OpTypes.Split, OpTypes.EyeLike, OpTypes.HannWindow, OpTypes.HammingWindow,
            OpTypes.BlackmanWindow, OpTypes.DepthToSpace, OpTypes.SpaceToDepth, OpTypes.ReduceMean, OpTypes.ReduceSum,
            OpTypes.ReduceMax, OpTypes.ReduceMin, OpTypes.ReduceProd, OpTypes.ReduceSumSquare, OpTypes.ReduceL1,
            OpTypes.ReduceL2, OpTypes.ReduceLogSumExp, OpTypes.ArgMax, OpTypes.ArgMin, OpTypes.Hardmax, OpTypes.Shape,
            OpTypes.Size, OpTypes.ConstantOfShape);
        Set(new(1, 1), OpTypes.Gelu, OpTypes.Silu, OpTypes.Mish);   // fused activations (compiler)
        Set(new(2, 2), OpTypes.GatedMul);                          // X, G (compiler: squeeze-excite)
        Set(new(2, 3), OpTypes.LayerNormalization);                // X, scale, optional B (compiler)
        Set(new(3, 4), OpTypes.Attention);                         // Q, Kᵀ, V, optional mask (compiler)
        Set(new(1, Variadic), OpTypes.FusedElementwise);           // chain start, then the operands (compiler)
        Set(new(5, 5), OpTypes.BatchNormalization);
        Set(new(2, 5), OpTypes.Conv);        // X, W, optional B, residual, into
        Set(new(2, 3), OpTypes.ConvTranspose);
        Set(new(2, 4), OpTypes.Gemm);        // A, B, optional C, residual
        Set(new(2, 2), OpTypes.Reshape);
        Set(new(3, 5), OpTypes.Slice);
        Set(new(4, 4), OpTypes.StridedSlice);
        Set(new(2, 3), OpTypes.Pad);
        Set(new(1, 2), OpTypes.Trilu);
        Set(new(1, 3), OpTypes.Resize);
        Set(new(3, 8), OpTypes.Lstm);        // X, W, R, optional B, sequence_lens, initial_h, initial_c, P
        Set(new(3, 6), OpTypes.Gru, OpTypes.Rnn); // X, W, R, optional B, sequence_lens, initial_h
        Set(new(2, 3), OpTypes.MatMul);      // A, B, optional column bias (compiler: BiasAndActivationFusion)
        Set(new(1, 1), OpTypes.AippPreprocess);
        Set(new(2, 2), OpTypes.AippDynamic);
        Set(new(2, 3), OpTypes.QuantizeLinear, OpTypes.DequantizeLinear); // x, scale, optional zero point
        Set(new(1, 1), OpTypes.DynamicQuantizeLinear);
        Set(new(2, 4), OpTypes.MatMulInteger); // A, B, optional a_zero_point, b_zero_point
        Set(new(8, 9), OpTypes.QLinearMatMul); // ..., optional int32 column bias (QDQ Gemm)
        Set(new(8, 8), OpTypes.QLinearAdd, OpTypes.QLinearMul); // omitted zero points are 0 constants (importer)
        Set(new(5, 5), OpTypes.QLinearSigmoid, OpTypes.QLinearLeakyRelu);
        Set(new(2, 4), OpTypes.ConvInteger);  // x, w, optional x_zero_point, w_zero_point
        Set(new(8, 9), OpTypes.QLinearConv);  // ..., optional int32 bias
        Set(new(2, 3), OpTypes.NegativeLogLikelihoodLoss); // input, target, optional weight
        Set(new(2, 2), OpTypes.GridSample);
        Set(new(2, 2), OpTypes.ReverseSequence);
        Set(new(1, 1), OpTypes.Det);
        Set(new(1, 1), OpTypes.TfIdfVectorizer);
        Set(new(2, 3), OpTypes.MaxUnpool);   // X, I, optional output_shape
        Set(new(3, 3), OpTypes.RoiAlign);
        Set(new(1, 2), OpTypes.Dft);         // input, optional dft_length
        Set(new(2, 4), OpTypes.Stft);        // signal, frame_step, optional window, optional frame_length
        Set(new(5, 5), OpTypes.MelWeightMatrix);
        Set(new(1, 1), OpTypes.NonZero, OpTypes.Unique);
        Set(new(2, 5), OpTypes.NonMaxSuppression); // boxes, scores, optional max_output_boxes_per_class, iou_threshold, score_threshold
        Set(new(2, 2), OpTypes.Compress);
        Set(new(1, Variadic), OpTypes.If);   // cond, then the captured outer values
        Set(new(0, Variadic), OpTypes.Loop); // optional M and cond, carried values, captures
        Set(new(1, Variadic), OpTypes.Scan); // states, scan inputs, captures
        return t;
    }
}
