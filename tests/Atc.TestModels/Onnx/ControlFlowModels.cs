using Atc.Compiler.Frontends.Onnx.Proto;
using Atc.Runtime;

namespace Atc.TestModels.Onnx;

/// <summary>
/// Small ONNX models with If, Loop and Scan for the differential tests against ONNX Runtime. Bodies are written with
/// a second <see cref="OnnxModelBuilder"/> (its graph is the body) and read outer tensors by name (captures). Body
/// tensor names start with the body's prefix: ONNX names are single-assignment across nested graphs.
/// </summary>
public static class ControlFlowModels
{
    public static readonly IReadOnlyDictionary<string, Func<byte[]>> All = new Dictionary<string, Func<byte[]>>(StringComparer.Ordinal)
    {
        ["if_computed_condition"] = IfComputedCondition,
        ["loop_running_sum"] = LoopRunningSum,
        ["loop_computed_trip_count"] = LoopComputedTripCount,
        ["loop_until_condition"] = LoopUntilCondition,
        ["scan_cumulative_sum"] = ScanCumulativeSum,
        ["scan_reverse_axis1"] = ScanReverseAxis1,
        ["if_inside_loop"] = IfInsideLoop,
        ["loop_batch"] = LoopBatch,
    };

    /// <summary>If on sum(x) &gt; 0: the then branch scales a captured outer value, the else branch reads x and a
    /// weight through different ops.</summary>
    public static byte[] IfComputedCondition()
    {
        var b = new OnnxModelBuilder(opset: 13, seed: 1);
        var x = b.Input("x", DataType.Float32, 2, 3);
        var w = b.Normal("w", 0, 1, 2, 3);
        var h = b.Node("Sigmoid", [x]);
        var sum = b.Node("ReduceSum", [x], ("keepdims", 0));
        var cond = b.Node("Greater", [sum, b.ScalarFloat("zero", 0f)]);

        var then = new OnnxModelBuilder(opset: 13);
        then.AddNode("Mul", [h, w], ["t_scaled"], "t_mul");
        then.AddNode("Add", ["t_scaled", x], ["t_out"], "t_add");
        then.Output("t_out", DataType.Float32, 2, 3);
        var otherwise = new OnnxModelBuilder(opset: 13);
        otherwise.AddNode("Sub", [x, w], ["e_diff"], "e_sub");
        otherwise.AddNode("Relu", ["e_diff"], ["e_out"], "e_relu");
        otherwise.Output("e_out", DataType.Float32, 2, 3);

        b.AddNode("If", [cond], ["y"], "if", "", ("then_branch", then.Graph), ("else_branch", otherwise.Graph));
        b.Output("y", DataType.Float32, 2, 3);
        return b.ToBytes();
    }

    /// <summary>
    /// A hostile Loop: trip count 2^62 and a condition that never turns false; each iteration adds one to the carried
    /// value. Not in <see cref="All"/> (ONNX Runtime would run it for ever). With <paramref name="fromInput"/> the carried
    /// value is the graph input x [4]; without, it is a constant, so every input of the Loop is constant and
    /// only the folding bound keeps the compiler and <c>Load</c> from running it.
    /// </summary>
    public static byte[] LoopHostileTripCount(bool fromInput)
    {
        var b = new OnnxModelBuilder(opset: 13, seed: 9);
        var x = b.Input("x", DataType.Float32, 4);
        var start = fromInput ? x : b.Zeros("start", 4);
        var m = b.Initializer("trip", TensorData.Int64([], 1L << 62));
        var cond = b.Initializer("keep_going", TensorData.FromArray(DataType.Bool, [], new byte[] { 1 }));
        var one = b.ScalarFloat("one", 1f);
        var body = new OnnxModelBuilder(opset: 13);
        body.Input("h_iter", DataType.Int64);
        body.Input("h_cond", DataType.Bool);
        body.Input("h_v", DataType.Float32, 4);
        body.AddNode("Add", ["h_v", one], ["h_next"], "h_add");
        body.AddNode("Identity", ["h_cond"], ["h_more"], "h_id");
        body.Output("h_more", DataType.Bool);
        body.Output("h_next", DataType.Float32, 4);
        b.AddNode("Loop", [m, cond, start], ["v_final"], "loop", "", ("body", body.Graph));
        b.AddNode("Add", ["v_final", x], ["y"], "out");
        b.Output("y", DataType.Float32, 4);
        return b.ToBytes();
    }

    /// <summary>Loop with a constant trip count: acc += x + iteration each step; the scan output stacks 2·acc.</summary>
    public static byte[] LoopRunningSum()
    {
        var b = new OnnxModelBuilder(opset: 13, seed: 2);
        var x = b.Input("x", DataType.Float32, 3);
        var m = b.Initializer("trip", TensorData.Int64([], 4));
        var cond = b.Initializer("keep_going", TensorData.FromArray(DataType.Bool, [], new byte[] { 1 }));
        var body = RunningSumBody(x, [3]);
        b.AddNode("Loop", [m, cond, x], ["acc_final", "acc_steps"], "loop", "", ("body", body));
        b.Output("acc_final", DataType.Float32, 3);
        b.Output("acc_steps", DataType.Float32, 4, 3);
        return b.ToBytes();
    }

    /// <summary>The trip count is computed from the data (ArgMax of x): the scan output's length is data-dependent.</summary>
    public static byte[] LoopComputedTripCount()
    {
        var b = new OnnxModelBuilder(opset: 13, seed: 3);
        var x = b.Input("x", DataType.Float32, 3);
        var m = b.Node("ArgMax", [x], ("keepdims", 0));
        var body = RunningSumBody(x, [3]);
        b.AddNode("Loop", [m, "", x], ["acc_final", "acc_steps"], "loop", "", ("body", body));
        b.Output("acc_final", DataType.Float32, 3);
        b.Output("acc_steps", DataType.Float32, "T", 3);
        return b.ToBytes();
    }

    /// <summary>No trip count: halve v until its sum drops below 1 (the condition is computed in the body).</summary>
    public static byte[] LoopUntilCondition()
    {
        var b = new OnnxModelBuilder(opset: 13, seed: 4);
        var x = b.Input("x", DataType.Float32, 4);
        var half = b.ScalarFloat("half", 0.5f);
        var one = b.ScalarFloat("one", 1f);
        var body = new OnnxModelBuilder(opset: 13);
        body.Input("u_iter", DataType.Int64);
        body.Input("u_cond", DataType.Bool);
        body.Input("u_v", DataType.Float32, 4);
        body.AddNode("Mul", ["u_v", half], ["u_next"], "u_mul");
        body.AddNode("ReduceSum", ["u_next"], ["u_sum"], "u_sum", "", ("keepdims", 0));
        body.AddNode("Greater", ["u_sum", one], ["u_more"], "u_greater");
        body.Output("u_more", DataType.Bool);
        body.Output("u_next", DataType.Float32, 4);
        b.AddNode("Loop", ["", "", x], ["v_final"], "loop", "", ("body", body.Graph));
        b.Output("v_final", DataType.Float32, 4);
        return b.ToBytes();
    }

    /// <summary>Scan over axis 0 of x [5, 3]: the state is the running sum, the scan output each step's sum.</summary>
    public static byte[] ScanCumulativeSum()
    {
        var b = new OnnxModelBuilder(opset: 11, seed: 5);
        var x = b.Input("x", DataType.Float32, 5, 3);
        var init = b.Zeros("init", 3);
        var body = new OnnxModelBuilder(opset: 11);
        body.Input("s_in", DataType.Float32, 3);
        body.Input("s_x", DataType.Float32, 3);
        body.AddNode("Add", ["s_in", "s_x"], ["s_out"], "s_add");
        body.AddNode("Identity", ["s_out"], ["s_scan"], "s_id");
        body.Output("s_out", DataType.Float32, 3);
        body.Output("s_scan", DataType.Float32, 3);
        b.AddNode("Scan", [init, x], ["total", "partial"], "scan", "", ("body", body.Graph), ("num_scan_inputs", 1));
        b.Output("total", DataType.Float32, 3);
        b.Output("partial", DataType.Float32, 5, 3);
        return b.ToBytes();
    }

    /// <summary>Scan along axis 1, read from the end, stacked along axis 1 from the end; the body also reads a captured weight.</summary>
    public static byte[] ScanReverseAxis1()
    {
        var b = new OnnxModelBuilder(opset: 11, seed: 6);
        var x = b.Input("x", DataType.Float32, 2, 4);
        var w = b.Input("w", DataType.Float32, 2);
        var init = b.Zeros("init", 2);
        var body = new OnnxModelBuilder(opset: 11);
        body.Input("r_in", DataType.Float32, 2);
        body.Input("r_x", DataType.Float32, 2);
        body.AddNode("Mul", ["r_in", w], ["r_scaled"], "r_mul");
        body.AddNode("Add", ["r_scaled", "r_x"], ["r_out"], "r_add");
        body.AddNode("Tanh", ["r_out"], ["r_scan"], "r_tanh");
        body.Output("r_out", DataType.Float32, 2);
        body.Output("r_scan", DataType.Float32, 2);
        b.AddNode("Scan", [init, x], ["last", "states"], "scan", "", ("body", body.Graph), ("num_scan_inputs", 1),
            ("scan_input_axes", new long[] { 1 }), ("scan_input_directions", new long[] { 1 }),
            ("scan_output_axes", new long[] { 1 }), ("scan_output_directions", new long[] { 1 }));
        b.Output("last", DataType.Float32, 2);
        b.Output("states", DataType.Float32, 2, 4);
        return b.ToBytes();
    }

    /// <summary>A Loop whose body branches on the iteration's parity (an If nested in the Loop), each branch reading
    /// a different outer value: the graph input x and an outer computed value.</summary>
    public static byte[] IfInsideLoop()
    {
        var b = new OnnxModelBuilder(opset: 13, seed: 7);
        var x = b.Input("x", DataType.Float32, 2, 2);
        var g = b.Node("Tanh", [x]);
        var m = b.Initializer("trip", TensorData.Int64([], 5));
        var two = b.Initializer("two", TensorData.Int64([], 2));
        var zero = b.Initializer("zero_i", TensorData.Int64([], 0));

        var then = new OnnxModelBuilder(opset: 13);
        then.AddNode("Add", ["l_acc", x], ["i_then"], "i_add");
        then.Output("i_then", DataType.Float32, 2, 2);
        var otherwise = new OnnxModelBuilder(opset: 13);
        otherwise.AddNode("Mul", ["l_acc", g], ["i_else"], "i_mul");
        otherwise.Output("i_else", DataType.Float32, 2, 2);

        var body = new OnnxModelBuilder(opset: 13);
        body.Input("l_iter", DataType.Int64);
        body.Input("l_cond", DataType.Bool);
        body.Input("l_acc", DataType.Float32, 2, 2);
        body.AddNode("Mod", ["l_iter", two], ["l_parity"], "l_mod");
        body.AddNode("Equal", ["l_parity", zero], ["l_even"], "l_equal");
        body.AddNode("If", ["l_even"], ["l_next"], "l_if", "", ("then_branch", then.Graph), ("else_branch", otherwise.Graph));
        body.AddNode("Identity", ["l_cond"], ["l_cond_out"], "l_cond_id");
        body.Output("l_cond_out", DataType.Bool);
        body.Output("l_next", DataType.Float32, 2, 2);
        b.AddNode("Loop", [m, "", x], ["y"], "loop", "", ("body", body.Graph));
        b.Output("y", DataType.Float32, 2, 2);
        return b.ToBytes();
    }

    /// <summary>A batch-dynamic input through a Loop body (MatMul by a weight each iteration): compiled with batch gears.</summary>
    public static byte[] LoopBatch()
    {
        var b = new OnnxModelBuilder(opset: 13, seed: 8);
        var x = b.Input("x", DataType.Float32, "N", 4);
        var w = b.Normal("w", 0, 0.5f, 4, 4);
        var m = b.Initializer("trip", TensorData.Int64([], 3));
        var body = new OnnxModelBuilder(opset: 13);
        body.Input("n_iter", DataType.Int64);
        body.Input("n_cond", DataType.Bool);
        body.Input("n_h", DataType.Float32, "N", 4);
        body.AddNode("MatMul", ["n_h", w], ["n_mm"], "n_matmul");
        body.AddNode("Tanh", ["n_mm"], ["n_next"], "n_tanh");
        body.AddNode("Identity", ["n_cond"], ["n_cond_out"], "n_cond_id");
        body.Output("n_cond_out", DataType.Bool);
        body.AddNode("Identity", ["n_next"], ["n_scan"], "n_scan_id");
        body.Output("n_next", DataType.Float32, "N", 4);
        body.Output("n_scan", DataType.Float32, "N", 4);
        b.AddNode("Loop", [m, "", x], ["h", "hs"], "loop", "", ("body", body.Graph));
        b.Output("h", DataType.Float32, "N", 4);
        b.Output("hs", DataType.Float32, 3, "N", 4);
        return b.ToBytes();
    }

    /// <summary>Loop body: acc_out = acc + x (captured) + float(iteration); cond passes through; scan slice 2·acc_out.</summary>
    private static GraphProto RunningSumBody(string x, object[] dims)
    {
        var body = new OnnxModelBuilder(opset: 13);
        body.Input("b_iter", DataType.Int64);
        body.Input("b_cond", DataType.Bool);
        body.Input("b_acc", DataType.Float32, dims);
        body.Initializer("b_two", TensorData.Scalar(2f));
        body.AddNode("Cast", ["b_iter"], ["b_iter_f"], "b_cast", "", ("to", 1));
        body.AddNode("Add", ["b_acc", x], ["b_sum"], "b_add");
        body.AddNode("Add", ["b_sum", "b_iter_f"], ["b_acc_out"], "b_add_iter");
        body.AddNode("Mul", ["b_acc_out", "b_two"], ["b_scan"], "b_mul");
        body.AddNode("Identity", ["b_cond"], ["b_cond_out"], "b_cond_id");
        body.Output("b_cond_out", DataType.Bool);
        body.Output("b_acc_out", DataType.Float32, dims);
        body.Output("b_scan", DataType.Float32, dims);
        return body.Graph;
    }
}
