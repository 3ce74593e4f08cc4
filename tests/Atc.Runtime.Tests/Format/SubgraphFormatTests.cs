using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Execution;
using Atc.Runtime.Format;
using Atc.Runtime.Format.Proto;
using Atc.Runtime.Operators;
using Atc.Runtime.Operators.ControlFlow;
using Atc.TestModels.Onnx;
using Atc.Tests.TestSupport;

namespace Atc.Tests.Format;

/// <summary>
/// Control-flow bodies in the .om (SubgraphDef, om_ir_version 3): they round-trip, and a hostile body (nested too
/// deep, reading an undefined value, a constant of the wrong type) is ATC2000, never a crash or deep recursion.
/// A Loop with no trip count whose condition never turns false stops with ATC4002.
/// </summary>
public class SubgraphFormatTests
{
    /// <summary>x → Neg → y, with a constant read by a second node.</summary>
    private static ModelGraph SmallBody() => new(
        [new GraphValue("x", DataType.Float32), new GraphValue("c", DataType.Float32), new GraphValue("n", DataType.Float32), new GraphValue("y", DataType.Float32)],
        [new GraphNode("neg", OpTypes.Neg, OpTypes.Neg, new OpAttributes(), [0], [2]),
         new GraphNode("add", OpTypes.Add, OpTypes.Add, new OpAttributes(), [2, 1], [3])],
        [0], [3], [null, TensorData.Scalar(2f), null, null]);

    [Fact]
    public void A_body_round_trips()
    {
        var read = SubgraphConversions.FromProto(SubgraphConversions.ToProto(SmallBody()), "body", 1);
        Assert.Equal(["x", "c", "n", "y"], read.Values.Select(v => v.Name));
        Assert.Equal([OpTypes.Neg, OpTypes.Add], read.Nodes.Select(n => n.OpType));
        Assert.Equal([0], read.Inputs);
        Assert.Equal([3], read.Outputs);
        Assert.Equal(2f, read.Constants[1]!.AsSpan<float>()[0]);
    }

    [Fact]
    public void Bodies_nested_past_the_limit_are_rejected()
    {
        var def = SubgraphConversions.ToProto(SmallBody());
        for (int level = 0; level < SubgraphConversions.MaxNestingDepth + 2; level++)
        {
            var outer = SubgraphConversions.ToProto(SmallBody());
            outer.Nodes[0].Attributes.Add(new AttributeDef { Name = "body", Graph = def });
            def = outer;
        }
        var error = Assert.Throws<OmFormatException>(() => SubgraphConversions.FromProto(def, "body", 1));
        Assert.StartsWith("ATC2000", error.Message);
        Assert.Contains("nest more than", error.Message);
    }

    [Fact]
    public void A_body_reading_an_undefined_value_is_rejected()
    {
        var def = SubgraphConversions.ToProto(SmallBody());
        def.Nodes[0].Inputs[0] = 2;   // reads its own output
        var error = Assert.Throws<OmFormatException>(() => SubgraphConversions.FromProto(def, "body", 1));
        Assert.Contains("before anything defines it", error.Message);
    }

    [Fact]
    public void A_body_constant_of_the_wrong_type_is_rejected()
    {
        var def = SubgraphConversions.ToProto(SmallBody());
        def.Constants[0].Tensor = ProtoConversions.ToProto(TensorData.Int64([], 2));
        Assert.Throws<OmFormatException>(() => SubgraphConversions.FromProto(def, "body", 1));
    }

    [Fact]
    public void A_body_id_out_of_range_is_rejected()
    {
        var def = SubgraphConversions.ToProto(SmallBody());
        def.Outputs[0] = 99;
        Assert.Throws<OmFormatException>(() => SubgraphConversions.FromProto(def, "body", 1));
    }

    [Fact]
    public void A_loop_whose_condition_never_turns_false_stops_at_the_bound()
    {
        // Halving never brings the sum of +inf below 1: the loop would run forever.
        byte[] model = ControlFlowModels.LoopUntilCondition();
        var graph = ModelPipeline.ImportOnnx(model, "loop.onnx");
        long saved = LoopOperator.UnboundedIterationLimit;
        // Other tests' loops run a few iterations: a lower bound for the duration of this one does not reach them.
        LoopOperator.UnboundedIterationLimit = 1000;
        try
        {
            var compiled = ModelPipeline.Compile(graph, ModelPipeline.StaticGear(graph, [[4]]));
            using var session = compiled.CreateSession(new SessionOptions { ThreadCount = 1 });
            var error = Assert.Throws<InferenceInputException>(() => session.Run(TensorData.Float([4], float.PositiveInfinity, 0, 0, 0)));
            Assert.StartsWith("ATC4002", error.Message);
            Assert.Contains("[loop]", error.Message);
        }
        finally
        {
            LoopOperator.UnboundedIterationLimit = saved;
        }
    }
}
