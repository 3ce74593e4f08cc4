using Atc.Compiler.Ir;
using Atc.Compiler.Passes;
using Atc.Runtime;
using Atc.Runtime.Operators;
using Atc.TestModels.Onnx;

namespace Atc.Tests.Onnx;

/// <summary>
/// Import of If, Loop and Scan: bodies become subgraphs, outer values the bodies read become explicit inputs of the
/// node (after its own) and of each body (its last inputs), and an If on a constant condition is inlined by the passes.
/// </summary>
public class ControlFlowImportTests
{
    [Fact]
    public void If_branches_capture_outer_values_as_node_inputs()
    {
        var g = OnnxTestSupport.Import(ControlFlowModels.IfComputedCondition());
        var node = g.Single(OpTypes.If);
        // then reads the outer Sigmoid and x; else reads x; the weight w is a constant, read by the bodies directly.
        Assert.Equal(["Greater_0_out", "Sigmoid_0_out", "x"], node.Inputs.Select(v => v!.Name));
        foreach (var name in new[] { "then_branch", "else_branch" })
        {
            var branch = node.Subgraphs[name];
            Assert.Equal(["Sigmoid_0_out", "x"], branch.Inputs.Select(v => v.Name));
            Assert.Single(branch.Outputs);
        }
        Assert.Contains(node.Subgraphs["then_branch"].Nodes, n => n.Inputs.Any(v => v is { IsConstant: true, Name: "w" }));
    }

    [Fact]
    public void Loop_body_inputs_are_iteration_condition_carried_then_captures()
    {
        var g = OnnxTestSupport.Import(ControlFlowModels.IfInsideLoop());
        var loop = g.Single(OpTypes.Loop);
        var body = loop.Subgraphs["body"];
        Assert.Equal(DataType.Int64, body.Inputs[0].Type);
        Assert.Equal(DataType.Bool, body.Inputs[1].Type);
        // The nested If reads x and the outer Tanh: both are captured through the Loop too.
        Assert.Equal(2, loop.Attributes.GetInt("num_captures", -1));
        Assert.Equal(["x", "Tanh_0_out"], loop.Inputs.Skip(3).Select(v => v!.Name));
        Assert.Equal(["l_iter", "l_cond", "l_acc", "x", "Tanh_0_out"], body.Inputs.Select(v => v.Name));
        var nestedIf = Assert.Single(body.Nodes, n => n.OpType == OpTypes.If);
        Assert.Equal(4, nestedIf.Inputs.Count);   // cond, then l_acc, x and Tanh: the union of both branches' captures
    }

    [Fact]
    public void An_outer_node_feeding_only_a_body_is_ordered_before_the_loop()
    {
        var g = OnnxTestSupport.Import(ControlFlowModels.IfInsideLoop());
        int tanh = g.Nodes.FindIndex(n => n.OpType == OpTypes.Tanh);
        int loop = g.Nodes.FindIndex(n => n.OpType == OpTypes.Loop);
        Assert.InRange(tanh, 0, loop - 1);
    }

    [Fact]
    public void A_body_reading_an_undefined_name_is_an_invalid_model()
    {
        var b = new OnnxModelBuilder(opset: 13);
        var x = b.Input("x", DataType.Float32, 2);
        var cond = b.Initializer("c", TensorData.FromArray(DataType.Bool, [], new byte[] { 1 }));
        var then = new OnnxModelBuilder(opset: 13);
        then.AddNode("Neg", ["nowhere"], ["t_out"], "t_neg");
        then.Output("t_out", DataType.Float32, 2);
        var otherwise = new OnnxModelBuilder(opset: 13);
        otherwise.AddNode("Neg", [x], ["e_out"], "e_neg");
        otherwise.Output("e_out", DataType.Float32, 2);
        b.AddNode("If", [cond], ["y"], "if", "", ("then_branch", then.Graph), ("else_branch", otherwise.Graph));
        b.Output("y", DataType.Float32, 2);
        var d = OnnxTestSupport.ImportFails(b.ToBytes(), "ATC1202");
        Assert.Contains("nowhere", d.ToString());
    }

    [Fact]
    public void An_if_on_a_constant_condition_is_inlined()
    {
        var b = new OnnxModelBuilder(opset: 13);
        var x = b.Input("x", DataType.Float32, 2);
        var cond = b.Initializer("c", TensorData.FromArray(DataType.Bool, [], new byte[] { 0 }));
        var then = new OnnxModelBuilder(opset: 13);
        then.AddNode("Neg", [x], ["t_out"], "t_neg");
        then.Output("t_out", DataType.Float32, 2);
        var otherwise = new OnnxModelBuilder(opset: 13);
        otherwise.AddNode("Exp", [x], ["e_out"], "e_exp");
        otherwise.Output("e_out", DataType.Float32, 2);
        b.AddNode("If", [cond], ["y"], "if", "", ("then_branch", then.Graph), ("else_branch", otherwise.Graph));
        b.Output("y", DataType.Float32, 2);
        var g = OnnxTestSupport.Import(b);

        var report = PassPipeline.RunWithReport(g);
        Assert.DoesNotContain(g.Nodes, n => n.OpType == OpTypes.If);
        var exp = g.Single(OpTypes.Exp);
        Assert.Equal("y", exp.Outputs[0].Name);
        Assert.Same(g.Inputs[0], exp.Inputs[0]);
        Assert.Equal(1, report.Total(ConstantIfInlining.BranchesInlined));
    }
}
