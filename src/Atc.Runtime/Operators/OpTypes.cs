using Atc.Runtime.Core;

namespace Atc.Runtime.Operators;

/// <summary>
/// The canonical operator set: the instruction set that the compiler targets and the runtime executes. Front ends
/// lower framework ops onto these (TensorFlow's Conv2D and ONNX's Conv both become <see cref="Conv"/>). Semantics
/// follow ONNX (opset 13+) unless a line says otherwise; data layout is an attribute, never implied by the importer.
///
/// Conventions for every op:
///  - "layout" (string) is "NCHW" (channels first, default) or "NHWC" (channels last) for ops with spatial axes.
///  - Convolution weights are always [O, I/group, k...] ("OIHW"); importers re-lay TensorFlow's HWIO filters.
///  - Padding: "pads" (ints, all begins then all ends, spatial axes only) and "auto_pad" (string: "NOTSET" uses pads,
///    "VALID", "SAME_UPPER" = TensorFlow SAME (extra padding at the end), "SAME_LOWER"). Resolved per gear.
///  - Axes are int64 and may be negative. Shape-like inputs (Reshape's shape, Slice's starts ...) are int64 tensors
///    that must fold to constants per gear.
/// </summary>
internal static class OpTypes
{
    // ---- element-wise, numpy broadcasting ----
    /// <summary>Binary: A, B → C. Also Sub, Mul, Div, Pow, Equal, Less, Greater, And, Or.</summary>
    public const string Add = "Add", Sub = "Sub", Mul = "Mul", Div = "Div", Pow = "Pow", Mod = "Mod";
    public const string Equal = "Equal", Less = "Less", Greater = "Greater", LessOrEqual = "LessOrEqual", GreaterOrEqual = "GreaterOrEqual";
    public const string And = "And", Or = "Or", Xor = "Xor", Not = "Not";
    /// <summary>Variadic (≥1 inputs), broadcasting: element-wise max / min / sum / mean.</summary>
    public const string Max = "Max", Min = "Min", Sum = "Sum", Mean = "Mean";
    /// <summary>PRelu: X, slope (broadcast to X) → X &lt; 0 ? slope*X : X.</summary>
    public const string PRelu = "PRelu";
    /// <summary>Where: condition (bool), X, Y → broadcast select.</summary>
    public const string Where = "Where";

    // ---- unary ----
    public const string Relu = "Relu", Sigmoid = "Sigmoid", Tanh = "Tanh", Exp = "Exp", Log = "Log", Sqrt = "Sqrt",
        Neg = "Neg", Abs = "Abs", Reciprocal = "Reciprocal", Floor = "Floor", Ceil = "Ceil", Round = "Round", Erf = "Erf",
        Softplus = "Softplus", Softsign = "Softsign", Sign = "Sign", Sin = "Sin", Cos = "Cos", Identity = "Identity";
    /// <summary>Trigonometric and hyperbolic functions (float32/float64).</summary>
    public const string Tan = "Tan", Asin = "Asin", Acos = "Acos", Atan = "Atan", Sinh = "Sinh", Cosh = "Cosh",
        Asinh = "Asinh", Acosh = "Acosh", Atanh = "Atanh";
    /// <summary>IsNaN: X (float) → bool. IsInf: X (float) → bool; attrs detect_negative (1), detect_positive (1).</summary>
    public const string IsNaN = "IsNaN", IsInf = "IsInf";
    /// <summary>BitShift: X, Y (unsigned, broadcasting) → X shifted by Y; attr direction ("LEFT" / "RIGHT").</summary>
    public const string BitShift = "BitShift";
    /// <summary>Clip: attrs "min", "max" (floats; absent = unbounded). TensorFlow Relu6 is Clip(0, 6).</summary>
    public const string Clip = "Clip";
    /// <summary>LeakyRelu(alpha=0.01), Elu(alpha=1), Selu(alpha=1.67326, gamma=1.0507), HardSigmoid(alpha=0.2, beta=0.5),
    /// HardSwish, Shrink(bias=0, lambd=0.5), ThresholdedRelu(alpha=1), Celu(alpha=1).</summary>
    public const string LeakyRelu = "LeakyRelu", Elu = "Elu", Selu = "Selu", HardSigmoid = "HardSigmoid",
        HardSwish = "HardSwish", Shrink = "Shrink", ThresholdedRelu = "ThresholdedRelu", Celu = "Celu";
    /// <summary>Fused activations (compiler, from PyTorch's decomposed forms): Gelu, attr approximate ("none": x·Φ(x)
    /// through erf; "tanh": the tanh form); Silu x·sigmoid(x); Mish x·tanh(softplus(x)). Float32. Conv, Gemm and MatMul
    /// also take "activation" = "Gelu", "GeluTanh", "Silu", "HardSwish" or "Mish" (applied after bias and residual).</summary>
    public const string Gelu = "Gelu", Silu = "Silu", Mish = "Mish";
    /// <summary>GatedMul (compiler, squeeze-excite): X, G (broadcast into X's shape) → X · gate(G); attrs gate
    /// ("Sigmoid" or "HardSigmoid"), alpha, beta (HardSigmoid's). Float32.</summary>
    public const string GatedMul = "GatedMul";
    /// <summary>LayerNormalization (compiler, from the decomposed form; ONNX-17 semantics): X, scale, optional B
    /// (broadcast to the normalised axes); attrs axis (-1: normalise over dims[axis:]), epsilon (1e-5).</summary>
    public const string LayerNormalization = "LayerNormalization";
    /// <summary>Attention (compiler, from MatMul → scale → optional mask → Softmax → MatMul): Q [b.., Sq, D],
    /// Kᵀ [b.., D, Sk], V [b.., Sk, Dv], optional mask → softmax(scale·Q·Kᵀ (+|where) mask)·V; attrs scale, mask
    /// ("add": float mask added; "keep"/"drop": bool mask, fill where false/true), fill. Float32.</summary>
    public const string Attention = "Attention";
    /// <summary>FusedElementwise (compiler, from a chain of element-wise ops): inputs broadcast into the output; attr
    /// "steps" (strings, one op per step, see ElementwiseProgram) and "scalars" (floats). Float32.</summary>
    public const string FusedElementwise = "FusedElementwise";
    /// <summary>Cast: attr "to" (int, a <see cref="DataType"/> code).</summary>
    public const string Cast = "Cast";

    // ---- normalisation and activation over an axis ----
    /// <summary>Softmax / LogSoftmax: attr "axis" (default -1). With attr "legacy"=1 (ONNX opset &lt; 13) the input
    /// is viewed as 2-D [prod(dims[:axis]), prod(dims[axis:])] and normalised over the second dimension.</summary>
    public const string Softmax = "Softmax", LogSoftmax = "LogSoftmax";
    /// <summary>BatchNormalization (inference): X, scale, B, mean, var; attrs "epsilon" (1e-5), "layout".
    /// The channel axis is 1 for NCHW (any rank ≥ 2) and the last axis for NHWC.</summary>
    public const string BatchNormalization = "BatchNormalization";
    /// <summary>InstanceNormalization: X, scale, B; attrs "epsilon" (1e-5), layout ("NCHW" default, or "NHWC").</summary>
    public const string InstanceNormalization = "InstanceNormalization";
    /// <summary>LRN: attrs "size", "alpha" (1e-4), "beta" (0.75), "bias" (1.0). NCHW, across channels.</summary>
    public const string LRN = "LRN";

    // ---- linear algebra and convolution ----
    /// <summary>Conv: X, W [O, I/group, k...], optional B [O] → Y. Attrs: layout, strides, dilations, pads, auto_pad,
    /// group (1). 1-D, 2-D and 3-D spatial. Fusion attrs added by the compiler: "activation" ("", "Relu", "Clip"),
    /// "activation_min"/"activation_max" for Clip; optional 4th input "residual" (same shape as Y, added before the
    /// activation). In-place Concat (compiler, NHWC only, no residual): "concat_channels" T and "concat_offset" o make
    /// Y [.., T] with the conv's O channels at [o, o+O) of every pixel; the other channels are those of the optional
    /// 5th input "into" (same shape as Y), undefined without it.</summary>
    public const string Conv = "Conv";
    /// <summary>ConvTranspose: X, W [C_in, C_out/group, k...], optional B. Attrs: layout, strides, dilations, pads,
    /// auto_pad, group, output_padding, output_shape.</summary>
    public const string ConvTranspose = "ConvTranspose";
    /// <summary>MaxPool / AveragePool: attrs layout, kernel_shape, strides, pads, auto_pad, dilations, ceil_mode (0),
    /// count_include_pad (0: divide by the number of non-padding elements, TensorFlow's rule).</summary>
    public const string MaxPool = "MaxPool", AveragePool = "AveragePool";
    /// <summary>Global pooling over all spatial axes, keeping them as size 1. Attr layout.</summary>
    public const string GlobalAveragePool = "GlobalAveragePool", GlobalMaxPool = "GlobalMaxPool";
    /// <summary>Gemm: A, B, optional C (broadcast to [M, N]); attrs alpha (1), beta (1), transA (0), transB (0). Fusion
    /// attrs as for Conv ("activation").</summary>
    public const string Gemm = "Gemm";
    /// <summary>MatMul: numpy matmul (1-D promotion, batch broadcasting).</summary>
    public const string MatMul = "MatMul";

    // ---- shape and data movement ----
    /// <summary>Reshape: data, shape (int64). Attr "allowzero" (0: a 0 in shape copies the input dim, ONNX; 1: 0 is
    /// a zero-size dim, TensorFlow). One -1 is inferred.</summary>
    public const string Reshape = "Reshape";
    /// <summary>Flatten: attr axis (1) → 2-D [prod(dims[:axis]), prod(dims[axis:])].</summary>
    public const string Flatten = "Flatten";
    /// <summary>Squeeze: attr "axes" (empty = every size-1 axis). Unsqueeze: attr "axes" (positions in the output).</summary>
    public const string Squeeze = "Squeeze", Unsqueeze = "Unsqueeze";
    /// <summary>Transpose: attr "perm" (empty = reverse).</summary>
    public const string Transpose = "Transpose";
    /// <summary>Concat: variadic; attr axis.</summary>
    public const string Concat = "Concat";
    /// <summary>Split: one input, N outputs; attr axis (0), "split" (sizes; absent = equal parts).</summary>
    public const string Split = "Split";
    /// <summary>Slice: data, starts, ends, optional axes, optional steps (int64; ONNX-10+ clamping rules).</summary>
    public const string Slice = "Slice";
    /// <summary>StridedSlice (TensorFlow semantics): input, begin, end, strides; attrs begin_mask, end_mask,
    /// ellipsis_mask, new_axis_mask, shrink_axis_mask.</summary>
    public const string StridedSlice = "StridedSlice";
    /// <summary>Pad: data, pads (int64 [2*rank]: all begins then all ends; negative crops), optional constant_value
    /// (scalar); attr mode ("constant", "reflect", "edge").</summary>
    public const string Pad = "Pad";
    /// <summary>Gather: data, indices (int32/int64, negative allowed); attr axis (0).</summary>
    public const string Gather = "Gather";
    /// <summary>GatherElements: data, indices (same rank); attr axis (0) → indices' shape. ScatterElements: data,
    /// indices, updates (indices' shape); attrs axis (0), reduction ("none", "add", "mul", "max", "min").</summary>
    public const string GatherElements = "GatherElements", ScatterElements = "ScatterElements";
    /// <summary>GatherND: data, indices (last axis = coordinate tuples); attr batch_dims (0). ScatterND: data, indices,
    /// updates; attr reduction ("none", "add", "mul", "max", "min").</summary>
    public const string GatherND = "GatherND", ScatterND = "ScatterND";
    /// <summary>Trilu: input, optional k (int64 scalar, constant); attr upper (1): zero one triangle of the last two axes.</summary>
    public const string Trilu = "Trilu";
    /// <summary>EyeLike: input (2-D, shape only); attrs dtype (type code, default input's), k (0).</summary>
    public const string EyeLike = "EyeLike";
    /// <summary>HannWindow / HammingWindow / BlackmanWindow: size (scalar, constant); attrs output_datatype (float32),
    /// periodic (1).</summary>
    public const string HannWindow = "HannWindow", HammingWindow = "HammingWindow", BlackmanWindow = "BlackmanWindow";
    /// <summary>OneHot: indices, depth (scalar, constant), values ([off, on]); attr axis (-1) → values' type.</summary>
    public const string OneHot = "OneHot";
    /// <summary>Expand: input, shape (int64): bidirectional broadcast. Tile: input, repeats (int64).</summary>
    public const string Expand = "Expand", Tile = "Tile";
    /// <summary>DepthToSpace / SpaceToDepth: attr blocksize, mode ("DCR"/"CRD"), layout.</summary>
    public const string DepthToSpace = "DepthToSpace", SpaceToDepth = "SpaceToDepth";
    /// <summary>Resize: X, optional scales (float32), optional sizes (int64); attrs mode ("nearest", "linear"),
    /// coordinate_transformation_mode, nearest_mode, layout.</summary>
    public const string Resize = "Resize";

    // ---- reductions ----
    /// <summary>Reductions: attrs "axes" (ints; empty = all), keepdims (1).</summary>
    public const string ReduceMean = "ReduceMean", ReduceSum = "ReduceSum", ReduceMax = "ReduceMax",
        ReduceMin = "ReduceMin", ReduceProd = "ReduceProd", ReduceSumSquare = "ReduceSumSquare",
        ReduceL1 = "ReduceL1", ReduceL2 = "ReduceL2", ReduceLogSumExp = "ReduceLogSumExp";
    /// <summary>ArgMax / ArgMin: attrs axis (0), keepdims (1), select_last_index (0) → int64.</summary>
    public const string ArgMax = "ArgMax", ArgMin = "ArgMin";

    /// <summary>CumSum: x, axis (scalar, constant); attrs exclusive (0), reverse (0).</summary>
    public const string CumSum = "CumSum";
    /// <summary>Hardmax: attr axis (-1), legacy (as for Softmax): one-hot of the first maximum along the axis.</summary>
    public const string Hardmax = "Hardmax";
    /// <summary>TopK: X, K (int64, constant); attrs axis (-1), largest (1), sorted (1) → values, int64 indices.</summary>
    public const string TopK = "TopK";

    /// <summary>Einsum: variadic operands; attr equation (numpy syntax, ellipsis, implicit or explicit output).</summary>
    public const string Einsum = "Einsum";

    // ---- shape arithmetic (folded per gear) ----
    /// <summary>Shape: → int64 [rank]; attrs start, end (optional, ONNX-15).</summary>
    public const string Shape = "Shape";
    /// <summary>Size: → int64 scalar element count.</summary>
    public const string Size = "Size";
    /// <summary>ConstantOfShape: shape (int64) → tensor filled with attr "value" (1-element tensor; default float 0).</summary>
    public const string ConstantOfShape = "ConstantOfShape";
    /// <summary>Range: start, limit, delta (scalars) → 1-D.</summary>
    public const string Range = "Range";

    // ---- recurrent (ONNX semantics; Operators/Recurrent) ----
    /// <summary>LSTM: X, W, R, optional B, sequence_lens, initial_h, initial_c, P → Y, Y_h, Y_c; attrs direction,
    /// hidden_size, activations (+ activation_alpha/beta), clip, input_forget, layout. Gate order iofc.</summary>
    public const string Lstm = "LSTM";
    /// <summary>GRU: X, W, R, optional B, sequence_lens, initial_h → Y, Y_h; attrs as LSTM plus linear_before_reset. Gate order zrh.</summary>
    public const string Gru = "GRU";
    /// <summary>RNN: X, W, R, optional B, sequence_lens, initial_h → Y, Y_h; attrs direction, hidden_size, activations, clip, layout.</summary>
    public const string Rnn = "RNN";
    // ---- image pre-processing (ATC's AIPP, compiled from --insert_op_conf) ----
    /// <summary>AippPreprocess: a uint8 NHWC image → float32 [N, C, H, W] or [N, H, W, C] (attr "layout"), per
    /// pixel: channel swap → crop → colour-space conversion → normalisation → padding. Attributes and the source
    /// layouts in <see cref="Image.AippParameters"/>.</summary>
    public const string AippPreprocess = "AippPreprocess";
    /// <summary>AippDynamic (aipp_mode: dynamic): image uint8 [N, max_src_image_size] (each item's bytes at its
    /// start), parameters float32 [<see cref="Image.AippDynamicEncoding.Length"/>] → float32 image of attrs
    /// "output_hw", "channels", "layout"; the parameters (format, size, crop, CSC, normalisation, padding) come
    /// with each run (<see cref="AippDynamicParameters"/>) and are checked against "max_src_image_size".</summary>
    public const string AippDynamic = "AippDynamic";

    // ---- quantised (ONNX semantics; Operators/Quantized) ----
    /// <summary>QuantizeLinear: x, y_scale, optional y_zero_point → uint8/int8; attrs axis, output_dtype.</summary>
    public const string QuantizeLinear = "QuantizeLinear";
    /// <summary>DequantizeLinear: x (uint8/int8/int32), x_scale, optional x_zero_point → float32; attr axis.</summary>
    public const string DequantizeLinear = "DequantizeLinear";
    /// <summary>DynamicQuantizeLinear: x → y (uint8), y_scale, y_zero_point.</summary>
    public const string DynamicQuantizeLinear = "DynamicQuantizeLinear";
    /// <summary>MatMulInteger: A, B, optional a_zero_point, b_zero_point → int32.</summary>
    public const string MatMulInteger = "MatMulInteger";
    /// <summary>QLinearMatMul: a, a_scale, a_zero_point, b, b_scale, b_zero_point, y_scale, y_zero_point, optional int32
    /// column bias (added to the accumulator; QDQ Gemm) → uint8/int8.</summary>
    public const string QLinearMatMul = "QLinearMatMul";
    /// <summary>QLinearAdd (com.microsoft): A, A_scale, A_zero_point?, B, B_scale, B_zero_point?, C_scale, C_zero_point?
    /// → A's 8-bit type, numpy broadcasting; y = Q(DQ(A) + DQ(B)).</summary>
    public const string QLinearAdd = "QLinearAdd";
    /// <summary>QLinearMul (com.microsoft): as QLinearAdd with y = Q(DQ(A) · DQ(B)).</summary>
    public const string QLinearMul = "QLinearMul";
    /// <summary>QLinearSigmoid (com.microsoft): X, X_scale, X_zero_point?, Y_scale, Y_zero_point? → X's type.</summary>
    public const string QLinearSigmoid = "QLinearSigmoid";
    /// <summary>QLinearLeakyRelu (com.microsoft): as QLinearSigmoid; attr alpha (0.01).</summary>
    public const string QLinearLeakyRelu = "QLinearLeakyRelu";
    /// <summary>ConvInteger: x, w, optional x_zero_point, w_zero_point → int32; Conv's attributes, channels first.</summary>
    public const string ConvInteger = "ConvInteger";
    /// <summary>QLinearConv: x, x_scale, x_zero_point, w, w_scale, w_zero_point, y_scale, y_zero_point, optional int32 B.</summary>
    public const string QLinearConv = "QLinearConv";

    // ---- losses (ONNX semantics; Operators/Loss) ----
    /// <summary>NegativeLogLikelihoodLoss: input [N, C, d...], target [N, d...] (int32/int64), optional weight [C];
    /// attrs reduction ("mean"), ignore_index. SoftmaxCrossEntropyLoss is lowered onto LogSoftmax + this.</summary>
    public const string NegativeLogLikelihoodLoss = "NegativeLogLikelihoodLoss";
    /// <summary>GridSample: X [N, C, H, W], grid [N, Ho, Wo, 2]; attrs mode ("bilinear"), padding_mode ("zeros"),
    /// align_corners (0).</summary>
    public const string GridSample = "GridSample";
    /// <summary>ReverseSequence: input, sequence_lens (int64 [batch]); attrs batch_axis (1), time_axis (0).</summary>
    public const string ReverseSequence = "ReverseSequence";
    /// <summary>Det: X [*, M, M] → [*] determinants (float).</summary>
    public const string Det = "Det";
    /// <summary>TfIdfVectorizer: X [C] or [N, C] integer tokens → float32 n-gram counts/weights; attrs as ONNX (pool_int64s only).</summary>
    public const string TfIdfVectorizer = "TfIdfVectorizer";
    /// <summary>MaxUnpool: X, I (int64 flat output indices), optional output_shape (constant); attrs kernel_shape, strides, pads.</summary>
    public const string MaxUnpool = "MaxUnpool";
    /// <summary>RoiAlign: X [N, C, H, W], rois [R, 4], batch_indices [R] → [R, C, oh, ow]; attrs as ONNX 16.</summary>
    public const string RoiAlign = "RoiAlign";
    /// <summary>DFT: input [batch, signal..., 1|2], optional dft_length (constant); attrs axis, inverse, onesided → complex [..., 2].</summary>
    public const string Dft = "DFT";
    /// <summary>STFT: signal [batch, length, 1|2], frame_step (constant), optional window, optional frame_length
    /// (constant); attr onesided → [batch, frames, bins, 2].</summary>
    public const string Stft = "STFT";
    /// <summary>MelWeightMatrix: num_mel_bins, dft_length, sample_rate, lower_edge_hertz, upper_edge_hertz (constant);
    /// attr output_datatype → [dft_length / 2 + 1, num_mel_bins].</summary>
    public const string MelWeightMatrix = "MelWeightMatrix";
    // ---- data-dependent output sizes (Operators/DataDependent; they run in the gear's dynamic region) ----
    /// <summary>NonZero: X → int64 [rank, n], indices of the non-zero elements.</summary>
    public const string NonZero = "NonZero";
    /// <summary>NonMaxSuppression: boxes, scores, optional max_output_boxes_per_class, iou_threshold, score_threshold;
    /// attr center_point_box → int64 [selected, 3] (ONNX semantics).</summary>
    public const string NonMaxSuppression = "NonMaxSuppression";
    /// <summary>Unique: X; attrs sorted (1), axis (optional) → Y, indices, inverse_indices, counts.</summary>
    public const string Unique = "Unique";
    /// <summary>Compress: input, condition (bool 1-D); attr axis (optional) → the selected slices or elements.</summary>
    public const string Compress = "Compress";

    // ---- control flow (ONNX semantics; bodies are ModelGraph attributes, outer values they read are explicit inputs) ----
    /// <summary>If: cond (bool, one element), captures... → the chosen branch's outputs; attrs then_branch, else_branch
    /// (graphs whose inputs are the captures, in order, and whose outputs match in type and shape).</summary>
    public const string If = "If";
    /// <summary>Loop: M (int64, optional), cond (bool, optional), N carried initial values, captures... → N final
    /// values, K scan outputs stacked on a new axis 0; attrs body (inputs: iteration, cond, N carried, captures;
    /// outputs: cond, N carried, K scan slices), num_captures.</summary>
    public const string Loop = "Loop";
    /// <summary>Scan (opset 9+): N initial states, M scan inputs, captures... → N final states, K scan outputs; attrs body
    /// (inputs: N states, M slices, captures; outputs: N states, K slices), num_scan_inputs, num_captures,
    /// scan_input_axes, scan_input_directions, scan_output_axes, scan_output_directions.</summary>
    public const string Scan = "Scan";
}
