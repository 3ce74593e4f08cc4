using System.Text;
using Atc.Compiler.Frontends.Caffe;
using Atc.Compiler.Frontends.Onnx;
using Atc.Compiler.Frontends.Onnx.Lowering;
using Atc.Compiler.Frontends.TensorFlow;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Tests.Docs;

/// <summary>docs/supported-ops.md is rendered from the importers' op tables and the runtime's operator registry.
/// Run with ATC_UPDATE_DOCS=1 to rewrite it.</summary>
public class SupportedOpsPageTests
{
    [Fact]
    public void The_supported_ops_page_matches_the_op_tables()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Atc.sln"))) dir = dir.Parent;
        string path = Path.Combine(dir!.FullName, "docs", "supported-ops.md");
        string expected = Render();
        if (Environment.GetEnvironmentVariable("ATC_UPDATE_DOCS") == "1") File.WriteAllText(path, expected);
        Assert.True(File.Exists(path), $"{path} is missing: run the tests with ATC_UPDATE_DOCS=1");
        Assert.Equal(expected, File.ReadAllText(path).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Every_canonical_op_the_importers_need_has_a_runtime_operator()
    {
        // The op set in OpTypes is what both front ends target; the registry must implement all of it.
        var declared = typeof(OpTypes).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!);
        Assert.All(declared, op => Assert.True(OperatorRegistry.IsSupported(op), $"OpTypes.{op} has no runtime operator"));
    }

    private static string Render()
    {
        var sb = new StringBuilder();
        sb.Append("# Supported operators\n\n");
        sb.Append("Generated from the op tables by `SupportedOpsPageTests`. An op outside these lists is reported with\n");
        sb.Append("error ATC1200, naming every unsupported op type and a node that uses it.\n\n");
        Section(sb, "TensorFlow (`--framework=3`)", TensorFlowImporter.SupportedOps);
        Section(sb, "ONNX (`--framework=5`, default domain and ONNX Runtime's `com.microsoft:` quantised ops; old opsets such as 6 and 9 are rewritten, tested up to opset 17)", OnnxImporter.SupportedOpTypes);
        Section(sb, "Caffe (`--framework=0`, layer types of the .prototxt with `--weight`)", CaffeImporter.SupportedLayerTypes);
        Section(sb, "Canonical operators of the runtime (`Atc.Runtime.Operators.OpTypes`)", OperatorRegistry.SupportedOpTypes);
        sb.Append(RecurrentNotes);
        sb.Append(TensorFlowImageNotes);
        sb.Append(Float16AndQuantisedNotes);
        sb.Append(DataDependentNotes);
        sb.Append(CaffeNotes);
        return sb.ToString();
    }

    private const string TensorFlowImageNotes = """
        ## TensorFlow resize, block and transposed-conv ops

        - `ResizeBilinear`, `ResizeNearestNeighbor`, `ResizeBicubic` become `Resize` (NHWC, sizes; a size computed from
          `Shape` folds per gear). `align_corners` → `align_corners` (nearest rounds halves up), `half_pixel_centers` →
          `half_pixel` (nearest: `tf_half_pixel_for_nn`, floor), neither → `asymmetric` (nearest floors). Both flags set
          is ATC1202, as TensorFlow rejects it. Bicubic: Keys a = -0.75 with clamped taps, or with `half_pixel_centers`
          a = -0.5 with outside taps dropped and renormalised; TensorFlow reads its weights from a 1024-entry table, the
          runtime computes them exactly (differences up to about 1e-3 of the value range).
        - `Conv2DBackpropInput` becomes `ConvTranspose` with the forward conv's SAME / VALID / EXPLICIT pads, strides,
          dilations, NHWC or NCHW, cropped or extended (`output_padding`) to `input_sizes`. Needs constant `input_sizes`
          and filter; a computed `input_sizes` (Keras `Conv2DTranspose` with a dynamic batch) is ATC1200.
        - `SpaceToBatchND` / `BatchToSpaceND` (any number of block dims, trailing dims, constant `block_shape`;
          `paddings` and `crops` constant or computed from `Shape`) become Pad, Reshape, Transpose, Reshape (and Slice
          for crops) with shapes folded per gear. The atrous chain `SpaceToBatchND` → `Conv2D` / `DepthwiseConv2dNative`
          (NHWC, VALID, stride 1) → `BatchToSpaceND` with constant paddings and crops is folded into one conv with
          `dilations` = the block and pads = paddings - crops; with computed ones it runs as written. The v1
          `SpaceToBatch` / `BatchToSpace` (4-D, `block_size` attribute) lower the same way.
        - `DepthToSpace` / `SpaceToDepth`: DCR channel order in both NHWC and NCHW (TensorFlow's order).
        - `FloorDiv`, `FloorMod` (sign of the divisor), `TruncateMod` / `Mod` (sign of the dividend), `ClipByValue`,
          `ZerosLike`, `OnesLike` (from the input's shape, so NaN inputs give zeros), `BroadcastTo`.

        - Detection post-processing on the dynamic region: `NonMaxSuppressionV2`-`V5` (hard NMS: score strictly above
          `score_threshold`, suppression when IoU exceeds `iou_threshold`, equal scores in box order;
          `pad_to_max_output_size` with a constant `max_output_size`; `valid_outputs`, V5's `selected_scores`),
          `Where` with one input (int64 [count, rank] coordinates), `TopKV2` with a computed `k`. V5 with
          `soft_nms_sigma` > 0 (soft NMS) is ATC1200.

        Not covered: `CropAndResize`, `MirrorPad` in SYMMETRIC mode, TF1 control flow (`Switch`/`Merge`,
        `TensorArray*`), soft NMS, `CombinedNonMaxSuppression`.

        """;

    private const string RecurrentNotes = """
        ## Recurrent nets

        ONNX `LSTM`, `GRU` and `RNN` (opsets 1-14) with every attribute: `direction` (forward, reverse, bidirectional),
        `activations` with `activation_alpha`/`activation_beta` (Affine, LeakyRelu, ThresholdedRelu, ScaledTanh,
        HardSigmoid, Elu, Softsign, Softplus, Sigmoid, Tanh, Relu), `clip`, `linear_before_reset`, `input_forget`,
        `layout` 0 and 1, the optional inputs `sequence_lens`, `initial_h`, `initial_c` and peepholes `P`, and any subset
        of the outputs `Y`, `Y_h`, `Y_c`. Gears over the batch and over the sequence length (`--dynamic_dims`) work.

        TensorFlow's static fused LSTM forms lower onto the same `LSTM`: `BlockLSTM` (gates i, c, f, o; `forget_bias`),
        `BlockLSTMV2` (gates i, f, c, o) and `LSTMBlockCell` (one step; chains of cells, as TF1 unrolls them, read its
        `cs` and `h`), with constant `w`/`b`, peepholes (`use_peephole`) and `seq_len_max` (steps after it give
        zeros). Their per-step gate outputs (`i`, `f`, `o`, `ci`, `co`, BlockLSTM's `cs`) and a positive `cell_clip`
        (it clips the cell state, which ONNX's `clip` does not; the ops' own default is 3, TF's Python wrappers pass -1)
        are ATC1200. Unrolled cells (a static graph of MatMul, BiasAdd, Sigmoid, Tanh, Mul, Add, Split/ConcatV2)
        import as ordinary ops.

        Not covered: `GRUBlockCell`/`BlockGRU`, TF2 `CudnnRNN*`, and tf.keras LSTM/GRU exported as a `While` loop
        (TF2's default form), which need control flow (issue 13, item 5).

        """;

    private const string Float16AndQuantisedNotes = """
        ## Float16, other storage types and quantised models

        Float16 (ONNX): `FLOAT16` initializers widen to float32 at import; `FLOAT16` graph inputs and outputs keep their
        type in the signature (runtime `DataType.Float16`, `Half` spans, `.npy` `<f2`) with a Cast at the boundary;
        `Cast` to float16 rounds to nearest even. Everything else computes in float32 (the float16/bfloat16 precision
        modes store Conv/Gemm/MatMul weights in 16 bits, see docs/atc-options.md). `--input_fp16_nodes` and `--output_type` (ATC's FP16, UINT8,
        INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64, DOUBLE; global or `node:index:TYPE`) change the signature the
        same way; ATC's 8-bit floats (HIF8, FP8E5M2, FP8E4M3FN, Atlas 350 only) are E10055.

        Other storage types (ONNX): `UINT16`, `INT16`, `UINT32`, `UINT64` and `BFLOAT16` initializers (raw_data or the
        typed fields), graph inputs and outputs, and `Cast`/`CastLike` to and from them work the same way: inside the
        graph they compute as int32 (uint16, int16), int64 (uint32; uint64 keeps its bits) or float32 (bfloat16), so
        every type-generic element-wise and shape op takes them; a Cast to one of them goes through the type and back
        (integers wrap, bfloat16 rounds to nearest even). Runtime types `DataType.UInt16`/`Int16`/`UInt32`/`UInt64`
        (`ushort`/`short`/`uint`/`ulong` spans, `.npy` `<u2`/`<i2`/`<u4`/`<u8`) and `DataType.BFloat16`, passed as
        its 16 bits in `ushort` (.NET 10 has no BFloat16 type; `.npy` `<u2`). Limits: an intermediate that overflows its
        stored width is wrapped only at the next Cast or graph output, so a comparison or division after such an overflow
        sees the wide value; uint64 values of 2^63 and above compare and divide as negative int64.

        Quantised (ONNX): `QuantizeLinear`/`DequantizeLinear` (per tensor and per axis, uint8/int8, DequantizeLinear
        also int32), `DynamicQuantizeLinear`, `MatMulInteger`, `ConvInteger`, `QLinearMatMul`, `QLinearConv`, and ONNX
        Runtime's `com.microsoft` `QLinearAdd`, `QLinearMul` (numpy broadcasting), `QLinearSigmoid`, `QLinearLeakyRelu`, with
        ONNX Runtime's arithmetic (int32 accumulation, requantisation with a float multiplier, round half to even,
        saturation).

        - **Kernels.** QLinearConv/ConvInteger are int8 GEMMs with the weights as the unsigned operand (channels are rows,
          pixels columns, so the output is NCHW with no transpose). Constant weights are packed once, at compile time, and
          stored in the `.om` (`int8-weight-panels/v1`, read in place at load) with their row sums; per run the input is
          gathered into im2col rows (a pointwise conv reads its input in place) and packed into 16-pixel panels with their
          sums. Tiles of 6 channels x 16 pixels on AVX-VNNI `vpdpbusd` (256-bit: .NET 10 exposes no 512-bit
          AVX512-VNNI), on AVX2 without VNNI (bytes widened to int16 and `vpmaddwd`, since `vpmaddubsw` saturates
          255·(-128)·2), or portable scalar code; all paths give the same int32 sums. Zero points, the int32 bias, the
          multiplier, y's zero point, saturation and a folded Relu/Clip are applied as each tile is stored (8 lanes at a
          time, bit-exact with the scalar formula). Per-tensor QuantizeLinear/DequantizeLinear are vectorised (AVX2).
          QLinearMatMul/MatMulInteger run on the channels-last convs' 6x16 tile (`Int8PixelTile`: A's rows read in
          place as the unsigned operand, B's columns as the channels); a constant B is packed at compile time and stored in
          the `.om` (`int8-matrix-weights/v1`) with its zero points folded in where b - zp fits int8, other zero points
          are corrected with A's row sums, a run-time B is packed per run; the requantisation (with an optional int32
          column bias) runs as each tile is stored, bit-exact with the scalar formula. QLinearAdd/Mul
          compute the reference formula saturate(round_half_even((DQ(A) op DQ(B)) / C_scale) + C_zp) through 256-entry
          dequantisation tables; QLinearSigmoid/LeakyRelu map bytes through a 256-entry table of Q(f(DQ(x))) (64 bytes per step with AVX-512 VBMI). ONNX
          Runtime's AVX2 QLinearAdd approximates that formula in fixed point (one step apart on about 5% of values).
        - **`QdqFusion`** runs DQ → Conv/MatMul → Q as QLinearConv/QLinearMatMul, DQ → Conv → Relu/Clip → Q as QLinearConv
          with the activation as a clamp of the quantised output (`output_min`/`output_max`), and DQ → MaxPool → Q with the
          same scale and zero point as an 8-bit MaxPool. **`QdqGemmFusion`** runs DQ → Gemm → Q (alpha = beta = 1,
          transA = 0, constant 8-bit B per tensor or per output column, int32 bias at A_scale · B_scale) as
          QLinearMatMul with the bias in the accumulator. **`QdqElementwiseFusion`** runs DQ → Add/Mul → Q and
          DQ → Sigmoid/LeakyRelu → Q (per-tensor parameters, one 8-bit type) as QLinearAdd/Mul/Sigmoid/LeakyRelu, with
          the unfused pattern's bits; a Relu/Clip between the Add/Mul and the Q (a residual DQ → Add → Relu → Q)
          becomes a clamp of the quantised output, exact because Q is non-decreasing.
        - Not covered yet: blocked quantisation (`block_size`), int4/int16/float8 types, `QLinearGlobalAveragePool`/
          `QLinearConcat`/`QLinearSoftmax` and the other com.microsoft ops (DQ → GlobalAveragePool/Softmax → Q runs in
          float between vectorised DQ/Q),
          a depthwise int8 kernel (group convs run one GEMM per group).

        """;

    private const string DataDependentNotes = """
        ## Signal ops

        ONNX `DFT`, `STFT` (real or complex signal, optional window, `frame_length`, `onesided`) and `MelWeightMatrix`
        (ONNX's reference arithmetic; float32 or float64 output), computed in float64. `MaxPool`'s second output
        `Indices` (flat int64 positions in the NCHW input, `storage_order` 0 row-major or 1 column-major over the
        spatial axes, as ONNX Runtime) is produced when a consumer reads it.

        ## Data-dependent output sizes

        ONNX `NonZero`, `NonMaxSuppression` (`center_point_box` 0 and 1, optional per-class limit and thresholds),
        `Unique` (`sorted` 0 and 1, with and without `axis`, all four outputs) and `Compress` (with and without `axis`),
        and any op whose shape-like input is computed from the data (`TopK` with a computed `k`, `Reshape`, `Expand`,
        `Range`, `ConstantOfShape`, `Tile`, `Slice`, ...), run in the gear's dynamic region: sized when they run, with
        their actual shapes reported by the session (`docs/runtime.md`). Not covered: sequence types.

        ## Control flow

        ONNX `If`, `Loop` and `Scan` (opset 9+: `scan_input_axes`/`directions`, `scan_output_axes`/`directions`) with
        bodies imported by the same lowerings, reading outer values by name; each body is a nested plan
        (`docs/runtime.md`, "Control flow"). An If on a constant condition is inlined. Loop scan outputs are static
        when M is a constant and the condition cannot turn false, data-dependent otherwise. Not covered: sequence
        and optional values in bodies, opset 8 `Scan`, Loop scan outputs without M, TensorFlow `While`/`Switch`/`Merge`.

        """;

    private static void Section(StringBuilder sb, string title, IEnumerable<string> ops)
    {
        var list = ops.Order(StringComparer.Ordinal).ToList();
        sb.Append("## ").Append(title).Append(" — ").Append(list.Count).Append(" ops\n\n");
        sb.Append(string.Join(", ", list.Select(o => "`" + o + "`"))).Append("\n\n");
    }

    private const string CaffeNotes = """

        ## Caffe layers

        Caffe layers become ONNX-semantics nodes and share the ONNX lowering (`Frontends/Caffe`). Unsupported layer
        types are ATC's E11009, one per layer; layer parameters Caffe or this compiler rejects are E13014.

        - `Input` (or the net's `input` with `input_shape` / 4 `input_dim` per input) declares the inputs; the shape
          options (`--input_shape`, gears) apply to those names; 4-D inputs are NCHW.
        - `Convolution` / `Deconvolution`: `group`, `dilation`, `pad` / `kernel_size` / `stride` as one value, one per
          axis or `*_h` / `*_w`, `bias_term`; 2-D only (an N,C,H,W bottom, `axis: 1`).
        - `Pooling`: MAX and AVE, `global_pooling`, Caffe's ceil rounding (a last window that would start in the end
          padding is dropped); AVE divides by the window clipped to the padded input. STOCHASTIC is E13014.
        - `InnerProduct`: `axis`, `transpose`, `bias_term`. `BatchNorm` (mean and variance divided by the third blob,
          the moving-average factor; inference statistics whatever `use_global_stats` says) and `Scale` (`axis`,
          `num_axes`, `bias_term`, or the multiplier from a second bottom) fold into the preceding convolution.
        - `Eltwise` SUM (with `coeff`), PROD, MAX over any number of bottoms; `Concat`, `Slice` (`slice_point` or even
          parts), `Split`, `Flatten` (`axis`, `end_axis`), `Reshape` (`axis`, `num_axes`, 0 and -1), `Permute`,
          `Softmax` (`axis`), `LRN` (ACROSS_CHANNELS), `ReLU` (`negative_slope`), `PReLU` (`channel_shared`),
          `Sigmoid`, `TanH`, `ELU`, `Power`, `Dropout` (identity).
        - `Crop` (`axis`, no / one / per-axis `offset`, to the second bottom's dims), `ArgMax` (`top_k`, `out_max_val`,
          along `axis` or over each item's flattened values; ties go to the smaller index, Caffe's to the larger),
          `Reduction` (SUM, ASUM, SUMSQ, MEAN over the axes from `axis` on, `coeff`) and SSD's `Normalize`
          (`across_spatial`, `channel_shared`, `eps`; `norm_param` = 206 as in SSD's caffe.proto).
        - In-place layers (top == bottom) are supported. Layers excluded from the TEST phase (`include` / `exclude`)
          are skipped.
        - Not supported: Caffe's V1 `layers` (E11021 / E11023, as ATC; upgrade with Caffe's upgrade_net_proto_* tools),
          SSD's `PriorBox` / `DetectionOutput`, N-D convolution, LRN
          WITHIN_CHANNEL, and Caffe's MAX pooling of a window entirely outside an unpadded input (ceil with a stride
          larger than the kernel), which ONNX drops.

        """;
}
