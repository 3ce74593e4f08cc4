using Atc.Compiler.Ir;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;
using Atc.Runtime.Operators.TensorOps.Resize;

namespace Atc.Compiler.Passes;

/// <summary>
/// Runs 2-D convolutional regions channels-last. The runtime's convolutions are much faster NHWC (a channels-first
/// conv other than a large 1x1 transposes each image to NHWC and back on every call), but ONNX models are NCHW end
/// to end. Every 4-D NCHW Conv becomes NHWC (weights stay OIHW, per OpTypes.Conv); pools, global pools, batch
/// norms, element-wise ops, Concat and Softmax follow when most of their data inputs are already NHWC. A
/// Transpose is inserted only where a region meets the rest of the graph: into it from an NCHW value, out of it
/// for a reader that stays NCHW and for graph outputs, so the graph's signature is unchanged. A value whose spatial
/// size is 1x1 (after a global pool) is laid out the same either way, so a Flatten or Reshape reading it needs no
/// Transpose (the GlobalAveragePool → Flatten → Gemm tail of a ResNet), and a Shape of a converted value reads the
/// twin's shape and gathers it into NCHW order. Pad, InstanceNormalization and Resize (constant or computed targets)
/// follow like the pools, so a style-transfer or segmentation net stays NHWC between its convs. Constant operands of element-wise ops are
/// re-laid ([1, C, 1, 1] → [1, 1, 1, C]). Transposes this pass inserts next to existing ones are left to
/// IdentityElimination, which runs after it.
/// </summary>
public sealed class LayoutPropagation : IGraphPass
{
    public const string NodesConverted = "nodes converted to NHWC";
    public const string TransposesInserted = "transposes inserted";
    public const string ConstantsRelaid = "constants re-laid";
    public const string TransposesAvoided = "1x1 boundaries without transpose";

    private const string Nhwc = "NHWC";

    public string Name => nameof(LayoutPropagation);

    public PassResult Run(Graph graph)
    {
        var result = PassResult.Start(this, graph);
        GraphRewrites.UnshareAttributes(graph);
        new Rewrite(graph, result).Apply();
        return result.Complete(graph);
    }

    /// <summary>What converting one node means: which input slots carry 4-D data that must arrive NHWC, which are
    /// constants to re-lay, and the attribute to rewrite.</summary>
    private sealed record Conversion(int[] DataSlots, int[] ConstantSlots, Action<OpAttributes> Rewrite);

    private sealed class Rewrite(Graph graph, PassResult result)
    {
        private readonly ValueNames _names = new(graph);
        private readonly List<Node> _order = [];
        /// <summary>The NHWC twin of a value: the converted node's new output, or a Transpose of an NCHW value.</summary>
        private readonly Dictionary<Value, Value> _nhwc = new(ReferenceEqualityComparer.Instance);
        /// <summary>Outputs of converted nodes that no node writes yet (their NCHW form is made on demand).</summary>
        private readonly HashSet<Value> _detached = new(ReferenceEqualityComparer.Instance);
        /// <summary>NHWC values known to be 1x1 spatially, laid out exactly like their NCHW form.</summary>
        private readonly HashSet<Value> _spatialOne = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<Value, Value> _relaid = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<Value, int?> _ranks = new(ReferenceEqualityComparer.Instance);

        public void Apply()
        {
            foreach (var node in graph.Nodes.ToList())
            {
                if (Plan(node) is { } conversion) Convert(node, conversion);
                else Keep(node);
            }
            foreach (var output in graph.Outputs.ToList())
                if (_detached.Contains(output)) ToNchw(output);
            graph.Nodes.Clear();
            graph.Nodes.AddRange(_order);
        }

        /// <summary>How to convert the node, or null when it stays as it is.</summary>
        private Conversion? Plan(Node node)
        {
            if (node.Outputs.Count != 1) return null;
            var a = node.Attributes;
            bool channelsFirst = a.GetString("layout", "NCHW") == "NCHW";
            switch (node.OpType)
            {
                // Convolutions anchor the regions: converted whenever they are 2-D.
                case OpTypes.Conv when channelsFirst && RankOf(Input(node, 0)) is null or 4 && Input(node, 1)?.Shape is { Length: 4 }:
                    return new([0, .. Input(node, 3) is null ? Array.Empty<int>() : [3]], [], SetLayout);

                // int8 convs whose kernel runs channels last; per-tensor QuantizeLinear/DequantizeLinear between them
                // are element-wise, so a quantised CNN stays NHWC from its first conv to its pool.
                case OpTypes.QLinearConv when channelsFirst && RankOf(Input(node, 0)) is null or 4 && QuantizedConvLayout.CanRunChannelsLast(node):
                    return new([0], [], SetLayout);

                case OpTypes.QuantizeLinear or OpTypes.DequantizeLinear when IsPerTensor(node) && Follows(node, [0]):
                    return new([0], [], _ => { });

                case OpTypes.MaxPool or OpTypes.AveragePool
                    when channelsFirst && a.GetInts("kernel_shape", []).Length == 2 && Follows(node, [0]):
                case OpTypes.GlobalAveragePool or OpTypes.GlobalMaxPool or OpTypes.BatchNormalization or OpTypes.LRN
                    or OpTypes.InstanceNormalization
                    when channelsFirst && Follows(node, [0]):
                    return new([0], [], SetLayout);

                case OpTypes.Concat when MapAxis(a, "axis", 0) is { } axis && Follows(node, AllSlots(node)):
                    return ElementWise(node, attrs => attrs.Set("axis", axis));

                case OpTypes.Softmax or OpTypes.LogSoftmax
                    when a.GetInt("legacy", 0) == 0 && MapAxis(a, "axis", -1) is { } axis && Follows(node, [0]):
                    return new([0], [], attrs => attrs.Set("axis", axis));

                case var op when IsReduction(op) && node.Inputs.Count == 1 && a.GetInt("keepdims", 1) != 0
                                 && MapAxes(a.GetInts("axes", [])) is { } axes && Follows(node, [0]):
                    return new([0], [], attrs => { if (axes.Length > 0) attrs.Set("axes", axes); });

                case OpTypes.Resize when channelsFirst && node.Inputs.Count <= 3 && ResizeTargetsAreConstant(node) && Follows(node, [0]):
                    return new([0], [], attrs => RelayResize(node, attrs));

                // Scales or sizes computed at run time (F.interpolate(size=x.shape[2:]) exports Shape/Slice/Concat):
                // the runtime reads a 4-value list in NCHW order (a 2-value one is spatial either way).
                case OpTypes.Resize when channelsFirst && node.Inputs.Count <= 3 && a.GetFloats("scales", []).Length == 0 && Follows(node, [0]):
                    return new([0], [], attrs => SetLayout(attrs.Set(ResizeOperator.TargetOrderAttribute, "NCHW")));

                case OpTypes.Pad when node.Inputs.Count <= 3 && PadsOf(node) is { } pads && Follows(node, [0]):
                    return new([0], [], attrs => SetPads(node, attrs, pads));

                case var op when IsElementWise(op) && Follows(node, AllSlots(node)):
                    return ElementWise(node, _ => { });

                default:
                    return null;
            }
        }

        /// <summary>A QuantizeLinear/DequantizeLinear with one scale and at most one zero point (its axis then means
        /// nothing) and no blocks.</summary>
        private static bool IsPerTensor(Node node)
            => node.Inputs.Count is 2 or 3 && Input(node, 1)?.Constant is { ElementCount: 1 }
               && (Input(node, 2) is null || Input(node, 2)!.Constant is { ElementCount: 1 })
               && node.Attributes.GetInt("block_size", 0) == 0;

        private static void SetLayout(OpAttributes attributes) => attributes.Set("layout", Nhwc);

        private static long? MapAxis(OpAttributes attributes, string name, long fallback) => ChannelsLast.Axis(attributes.GetInt(name, fallback));

        private static long[]? MapAxes(long[] axes)
        {
            var mapped = new long[axes.Length];
            for (int i = 0; i < axes.Length; i++)
            {
                if (ChannelsLast.Axis(axes[i]) is not { } position) return null;
                mapped[i] = position;
            }
            return mapped;
        }

        /// <summary>Pad's begins-then-ends list for the 4 axes, from the constant input or the attribute; null when
        /// computed or of another length.</summary>
        private static long[]? PadsOf(Node node)
        {
            long[]? pads = node.Inputs.Count > 1 && node.Inputs[1] is { } input
                ? input.Constant?.ToInt64Array()
                : node.Attributes.GetInts("pads", []);
            return pads is { Length: 8 } ? pads : null;
        }

        /// <summary>Writes the pads in NHWC order (begins and ends each permuted like the data).</summary>
        private void SetPads(Node node, OpAttributes attributes, long[] pads)
        {
            long[] nhwc = new long[8];
            for (int i = 0; i < 4; i++)
            {
                nhwc[i] = pads[ChannelsLast.ToNhwc[i]];
                nhwc[4 + i] = pads[4 + ChannelsLast.ToNhwc[i]];
            }
            if (node.Inputs.Count > 1 && node.Inputs[1] is { } input)
                node.Inputs[1] = Value.FromConstant(_names.Fresh(input.Name + "_nhwc"), TensorData.Int64([8], nhwc));
            else
                attributes.Set("pads", nhwc);
        }

        /// <summary>Resize's scales and sizes must be constants (or the scales attribute) to be re-laid.</summary>
        private static bool ResizeTargetsAreConstant(Node node)
            => Enumerable.Range(1, node.Inputs.Count - 1).All(i => node.Inputs[i] is null or { IsConstant: true })
               && node.Attributes.GetFloats("scales", []).Length is 0 or 2 or 4;

        /// <summary>Resize with layout NHWC reads a full-rank scales or sizes list in NHWC order (a list of the two
        /// spatial axes is the same either way).</summary>
        private void RelayResize(Node node, OpAttributes attributes)
        {
            SetLayout(attributes);
            for (int i = 1; i < node.Inputs.Count; i++)
            {
                if (node.Inputs[i] is not { Constant: { Rank: 1, ElementCount: 4 } data } input) continue;
                node.Inputs[i] = Value.FromConstant(_names.Fresh(input.Name + "_nhwc"), ChannelsLast.PermutedList(data));
            }
            if (attributes.GetFloats("scales", []) is { Length: 4 } scales)
                attributes.Set("scales", new[] { scales[0], scales[2], scales[3], scales[1] });
        }

        private static int[] AllSlots(Node node) => [.. Enumerable.Range(0, node.Inputs.Count).Where(i => node.Inputs[i] is not null)];

        /// <summary>Splits an element-wise node's inputs into data and constants; null when a constant cannot be re-laid.</summary>
        private static Conversion? ElementWise(Node node, Action<OpAttributes> rewrite)
        {
            var slots = AllSlots(node);
            if (slots.Any(i => node.Inputs[i]!.Constant is { Rank: > 4 })) return null;
            return new([.. slots.Where(i => !node.Inputs[i]!.IsConstant)], [.. slots.Where(i => node.Inputs[i]!.IsConstant)], rewrite);
        }

        /// <summary>
        /// True when a node that can run either way should follow its inputs to NHWC: every data input (non-constant)
        /// is a known 4-D tensor, at least one is already available NHWC, and no more of them would need a
        /// Transpose to NHWC than would need one back to NCHW if the node stayed.
        /// </summary>
        private bool Follows(Node node, int[] slots)
        {
            int ready = 0, missing = 0;
            foreach (int i in slots)
            {
                var v = node.Inputs[i];
                if (v is null || v.IsConstant) continue;
                if (RankOf(v) != 4) return false;
                if (_nhwc.ContainsKey(v)) ready++;
                else missing++;
            }
            return ready > 0 && ready >= missing;
        }

        private static bool IsElementWise(string op) => op is OpTypes.Add or OpTypes.Sub or OpTypes.Mul or OpTypes.Div
            or OpTypes.Pow or OpTypes.Mod or OpTypes.Max or OpTypes.Min or OpTypes.Sum or OpTypes.Mean or OpTypes.PRelu
            or OpTypes.Where or OpTypes.Equal or OpTypes.Less or OpTypes.Greater or OpTypes.LessOrEqual
            or OpTypes.GreaterOrEqual or OpTypes.And or OpTypes.Or or OpTypes.Xor or OpTypes.Not
            or OpTypes.Relu or OpTypes.Sigmoid or OpTypes.Tanh or OpTypes.Exp or OpTypes.Log or OpTypes.Sqrt
            or OpTypes.Neg or OpTypes.Abs or OpTypes.Reciprocal or OpTypes.Floor or OpTypes.Ceil or OpTypes.Round
            or OpTypes.Erf or OpTypes.Softplus or OpTypes.Softsign or OpTypes.Sign or OpTypes.Sin or OpTypes.Cos
            or OpTypes.Identity or OpTypes.Clip or OpTypes.LeakyRelu or OpTypes.Elu or OpTypes.Selu
            or OpTypes.HardSigmoid or OpTypes.HardSwish or OpTypes.Shrink or OpTypes.ThresholdedRelu or OpTypes.Celu
            or OpTypes.Cast or OpTypes.Gelu or OpTypes.Silu or OpTypes.Mish
            // int8 residuals between channels-last QLinearConvs (their scales and zero points are scalars)
            or OpTypes.QLinearAdd or OpTypes.QLinearMul;

        private void Convert(Node node, Conversion conversion)
        {
            foreach (int i in conversion.DataSlots) node.Inputs[i] = ToNhwc(node.Inputs[i]!);
            foreach (int i in conversion.ConstantSlots) node.Inputs[i] = Relaid(node.Inputs[i]!);
            // Any other operand keeps its NCHW form, which must then be written: a converted producer no longer
            // writes it (e.g. a BatchNormalization whose scale is computed from the convolution it normalises).
            for (int i = 0; i < node.Inputs.Count; i++)
                if (node.Inputs[i] is { } other && _detached.Contains(other)) ToNchw(other);
            conversion.Rewrite(node.Attributes);

            var nchw = node.Outputs[0];
            var twin = new Value(_names.Fresh(nchw.Name + "_nhwc"), nchw.Type, ChannelsLast.Shape(nchw.Shape));
            GraphRewrites.SetOutput(node, 0, twin);
            _nhwc[nchw] = twin;
            _detached.Add(nchw);
            _ranks[nchw] = _ranks[twin] = 4;
            if (IsSpatialOne(node, conversion, nchw)) _spatialOne.Add(twin);
            _order.Add(node);
            result.Add(NodesConverted);
        }

        /// <summary>A node that stays reads the NCHW form of every converted value, unless it can read the NHWC twin
        /// itself and compute the same result (<see cref="TryReadTwin"/>).</summary>
        private void Keep(Node node)
        {
            if (TryShapeOfTwin(node)) return;
            for (int i = 0; i < node.Inputs.Count; i++)
            {
                if (node.Inputs[i] is not { } v || !_nhwc.TryGetValue(v, out var twin)) continue;
                if (i == 0 && TryReadTwin(node, twin))
                {
                    node.Inputs[i] = twin;
                    result.Add(TransposesAvoided);
                }
                else if (_detached.Contains(v))
                {
                    ToNchw(v);
                }
            }
            _order.Add(node);
            foreach (var output in node.Outputs) _ranks[output] = InferRank(node);
        }

        /// <summary>
        /// A Shape of a converted value reads the twin's shape and gathers its dims back into NCHW order, so taking a
        /// shape (the sizes of an image-pooling branch's Resize) needs no Transpose of the data; the planner folds
        /// both per gear. False for a Shape with start/end (left as it is).
        /// </summary>
        private bool TryShapeOfTwin(Node node)
        {
            if (node.OpType != OpTypes.Shape || node.Inputs.Count != 1 || node.Outputs.Count != 1
                || node.Attributes.Has("start") || node.Attributes.Has("end")
                || node.Inputs[0] is not { } v || !_nhwc.TryGetValue(v, out var twin) || RankOf(v) != 4) return false;
            var dims = node.Outputs[0];
            var twinDims = new Value(_names.Fresh(dims.Name + "_nhwc"), dims.Type, dims.Shape);
            node.Inputs[0] = twin;
            GraphRewrites.SetOutput(node, 0, twinDims);
            _order.Add(node);
            var order = Value.FromConstant(_names.Fresh(dims.Name + "_nchw_order"), TensorData.Int64([4], ChannelsLast.ToNchw));
            var gather = new Node(_names.Fresh(dims.Name + "_gather"), OpTypes.Gather, [twinDims, order],
                new OpAttributes().Set("axis", 0L), sourceOpType: OpTypes.Gather);
            gather.AttachOutput(dims);
            _order.Add(gather);
            _ranks[dims] = _ranks[twinDims] = 1;
            result.Add(TransposesAvoided);
            return true;
        }

        /// <summary>
        /// True (after rewriting the node's axes) when the node gives the same result reading the NHWC twin: a
        /// Flatten at axis 1, a Reshape that copies no dim or a Squeeze of every size-1 axis reading a 1x1 value
        /// (same bytes either way); a Squeeze, or a reduction that drops its axes, whose remaining axes keep their
        /// order in NHWC.
        /// </summary>
        private bool TryReadTwin(Node node, Value twin)
        {
            bool spatialOne = _spatialOne.Contains(twin);
            var a = node.Attributes;
            switch (node.OpType)
            {
                case OpTypes.Flatten:
                    return spatialOne && a.GetInt("axis", 1) == 1;
                case OpTypes.Reshape:
                    return spatialOne && node.Inputs.Count >= 2 && node.Inputs[1]?.Constant is { } shape
                           && (a.GetInt("allowzero", 0) != 0 || !shape.ToInt64Array().Contains(0));
                case OpTypes.Squeeze when node.Inputs.Count == 1:
                    long[] squeezed = a.GetInts("axes", []);
                    return squeezed.Length == 0 ? spatialOne : MapAxesKeepingOrder(a, squeezed);
                case var op when IsReduction(op) && node.Inputs.Count == 1 && a.GetInt("keepdims", 1) == 0:
                    long[] reduced = a.GetInts("axes", []);
                    return reduced.Length == 0 || MapAxesKeepingOrder(a, reduced);
                default:
                    return false;
            }
        }

        /// <summary>Maps removed NCHW axes to NHWC when the axes that remain come out in the same order; false (and
        /// nothing changed) otherwise.</summary>
        private static bool MapAxesKeepingOrder(OpAttributes attributes, long[] axes)
        {
            var removed = new bool[4];
            var mapped = new long[axes.Length];
            for (int i = 0; i < axes.Length; i++)
            {
                if (ChannelsLast.Axis(axes[i]) is not { } position) return false;
                mapped[i] = position;
                removed[axes[i] < 0 ? axes[i] + 4 : axes[i]] = true;
            }
            long last = -1;
            for (int axis = 0; axis < 4; axis++)
            {
                if (removed[axis]) continue;
                if (ChannelsLast.ToNchw[axis] < last) return false;
                last = ChannelsLast.ToNchw[axis];
            }
            attributes.Set("axes", mapped);
            return true;
        }

        private static bool IsReduction(string op) => op is OpTypes.ReduceMean or OpTypes.ReduceSum or OpTypes.ReduceMax
            or OpTypes.ReduceMin or OpTypes.ReduceProd or OpTypes.ReduceSumSquare or OpTypes.ReduceL1 or OpTypes.ReduceL2
            or OpTypes.ReduceLogSumExp;

        /// <summary>Global pools make 1x1 outputs; element-wise ops keep 1x1 when their data inputs are 1x1 and their
        /// constants do not vary spatially; a known shape says so directly.</summary>
        private bool IsSpatialOne(Node node, Conversion conversion, Value nchw)
        {
            if (nchw.Shape is { Length: 4 } s && s[2] == 1 && s[3] == 1) return true;
            if (node.OpType is OpTypes.GlobalAveragePool or OpTypes.GlobalMaxPool) return true;
            if (IsReduction(node.OpType))
            {
                long[] axes = node.Attributes.GetInts("axes", []);   // already NHWC: H and W are 1 and 2
                return axes.Length == 0 || axes.Contains(1) && axes.Contains(2);
            }
            if (node.OpType is OpTypes.Conv or OpTypes.QLinearConv or OpTypes.MaxPool or OpTypes.AveragePool or OpTypes.Concat or OpTypes.Pad
                or OpTypes.Resize or OpTypes.LRN) return false;
            return conversion.DataSlots.All(i => _spatialOne.Contains(node.Inputs[i]!))
                   && conversion.ConstantSlots.All(i => IsSpatiallyUniform(node.Inputs[i]!.Constant!.Dims));
        }

        /// <summary>A re-laid constant (dims aligned to the right of NHWC) that does not vary along H or W.</summary>
        private static bool IsSpatiallyUniform(int[] dims)
        {
            int shift = 4 - dims.Length;
            for (int axis = 1; axis <= 2; axis++)
                if (axis - shift >= 0 && dims[axis - shift] != 1) return false;
            return true;
        }

        /// <summary>The NHWC twin of a value, made by a Transpose (or, for a constant, re-laid) when it has none.</summary>
        private Value ToNhwc(Value v)
        {
            if (_nhwc.TryGetValue(v, out var twin)) return twin;
            if (v.Constant is { } data && ChannelsLast.Relaid(data) is { } relaid)
            {
                twin = Value.FromConstant(_names.Fresh(v.Name + "_nhwc"), relaid);
                result.Add(ConstantsRelaid);
            }
            else
            {
                twin = AddTranspose(v, new Value(_names.Fresh(v.Name + "_nhwc"), v.Type, ChannelsLast.Shape(v.Shape)), ChannelsLast.ToNhwc);
            }
            _nhwc[v] = twin;
            return twin;
        }

        /// <summary>Writes a converted node's original (NCHW) output with a Transpose of its twin.</summary>
        private void ToNchw(Value nchw)
        {
            _detached.Remove(nchw);
            AddTranspose(_nhwc[nchw], nchw, ChannelsLast.ToNchw);
        }

        private Value AddTranspose(Value input, Value output, long[] perm)
        {
            var transpose = new Node(_names.Fresh(output.Name + "_transpose"), OpTypes.Transpose, [input],
                new OpAttributes().Set("perm", perm), sourceOpType: OpTypes.Transpose);
            transpose.AttachOutput(output);
            _order.Add(transpose);
            result.Add(TransposesInserted);
            return output;
        }

        /// <summary>A constant operand re-laid for NHWC data (cached: a shared bias is re-laid once).</summary>
        private Value Relaid(Value constant)
        {
            if (_relaid.TryGetValue(constant, out var done)) return done;
            var data = ChannelsLast.Relaid(constant.Constant!)!;
            if (ReferenceEquals(data, constant.Constant)) done = constant;
            else
            {
                done = Value.FromConstant(_names.Fresh(constant.Name + "_nhwc"), data);
                result.Add(ConstantsRelaid);
            }
            _relaid[constant] = done;
            return done;
        }

        private static Value? Input(Node node, int index) => GraphRewrites.InputOrNull(node, index);

        /// <summary>The rank of a value: its shape's, else what the nodes seen so far imply; null when unknown.</summary>
        private int? RankOf(Value? v)
        {
            if (v is null) return null;
            if (v.Shape is { } shape) return shape.Length;
            if (v.Constant is { } c) return c.Rank;
            return _ranks.GetValueOrDefault(v);
        }

        /// <summary>Output ranks that follow without shapes for the ops a convolutional region touches.</summary>
        private int? InferRank(Node node)
        {
            var a = node.Attributes;
            int? first = RankOf(Input(node, 0));
            switch (node.OpType)
            {
                case OpTypes.Conv or OpTypes.ConvTranspose:
                    return Input(node, 1)?.Shape?.Length;
                case OpTypes.QLinearConv:
                    return Input(node, 3)?.Shape?.Length;
                case OpTypes.QuantizeLinear or OpTypes.DequantizeLinear:
                    return first;
                case OpTypes.MaxPool or OpTypes.AveragePool:
                    return a.GetInts("kernel_shape", []) is { Length: > 0 } k ? k.Length + 2 : first;
                case OpTypes.Flatten or OpTypes.Gemm:
                    return 2;
                case OpTypes.Reshape:
                    return Input(node, 1)?.Shape is { Length: 1 } s && s[0] >= 0 ? (int)s[0] : null;
                case OpTypes.Transpose:
                    return a.GetInts("perm", []) is { Length: > 0 } perm ? perm.Length : first;
                case var op when IsReduction(op) && a.GetInt("keepdims", 1) != 0:
                    return first;
                case OpTypes.Concat or OpTypes.Softmax or OpTypes.LogSoftmax or OpTypes.BatchNormalization
                    or OpTypes.GlobalAveragePool or OpTypes.GlobalMaxPool or OpTypes.InstanceNormalization or OpTypes.LRN
                    or OpTypes.Resize or OpTypes.Pad or OpTypes.DepthToSpace or OpTypes.SpaceToDepth:
                    return first;
                case var op when IsElementWise(op):
                    int rank = 0;
                    foreach (var v in node.Inputs)
                    {
                        if (v is null) continue;
                        if (RankOf(v) is not { } r) return null;
                        rank = Math.Max(rank, r);
                    }
                    return rank;
                default:
                    return null;
            }
        }
    }
}
