using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Execution;
using Atc.TestModels.Onnx;
using Atc.Tests.TestSupport;

namespace Atc.Tests.Execution;

/// <summary>
/// The planner's dynamic region on the detector model: the backbone stays planned (arena, kernels made at load), the
/// post-processing is sized per run, and the public API reports actual shapes on every path.
/// </summary>
public class DynamicRegionTests
{
    private static readonly Lazy<InferenceModel> Detector = new(() =>
    {
        var graph = ModelPipeline.ImportOnnx(DataDependentModels.All["detector"](), "detector.onnx");
        return ModelPipeline.Compile(graph, ModelPipeline.StaticGear(graph, [[1, 3, 8, 8], [1], [1]]));
    });

    private static readonly TensorData Image = TensorData.Float([1, 3, 8, 8], ModelPipeline.RandomUniform(5, 192));

    [Fact]
    public void Static_steps_keep_their_arena_and_the_post_processing_is_dynamic()
    {
        var model = Detector.Value;
        var gear = model.Gear(0);
        var plan = gear.Plan;
        var graph = model.Graph;
        var opsOf = (bool dynamic) => Enumerable.Range(0, plan.Steps.Length).Where(s => plan.IsDynamicStep(graph, s) == dynamic)
            .Select(s => graph.Nodes[plan.Steps[s]].OpType).ToHashSet();
        Assert.Contains("Conv", opsOf(false));
        Assert.Contains("NonMaxSuppression", opsOf(true));
        Assert.Contains("Gather", opsOf(true));
        Assert.DoesNotContain("Conv", opsOf(true));
        Assert.True(plan.ArenaSize > 0);
        // Every static step's values are planned: none reads a dynamic value.
        for (int s = 0; s < plan.Steps.Length; s++)
            if (!plan.IsDynamicStep(graph, s))
                Assert.All(graph.Nodes[plan.Steps[s]].Inputs.Where(v => v >= 0), v => Assert.False(plan.Values[v].IsDynamic));

        var outputs = model.Signature.Outputs;
        Assert.All(outputs, o => Assert.True(o.IsDataDependent));
        Assert.Equal([-1L, 4], outputs[0].Dims);       // the detections' count varies, each box has 4 values
        Assert.Equal([-1L], outputs[1].Dims);
        Assert.Equal([-1, 3], model.Signature.Gears[0].OutputShapes[2]);
    }

    [Fact]
    public void A_session_reports_each_runs_actual_shape()
    {
        using var session = Detector.Value.CreateSession(new SessionOptions { ThreadCount = 1 });
        var many = session.Run(Image, TensorData.Float([1], 1f), TensorData.Float([1], 0f));
        Assert.Equal([10, 4], many[0].Dims);
        var none = session.Run(Image, TensorData.Float([1], 0.5f), TensorData.Float([1], 1f));
        Assert.Equal([0, 4], none[0].Dims);
        Assert.Empty(none[0].ToFloatArray());
        // Back to many: the buffers grown by the first run are reused and the shape follows the data again.
        session.Run(Image, TensorData.Float([1], 1f), TensorData.Float([1], 0f));
        Assert.Equal([10, 4], session.GetOutputShape(0).ToArray());
        Assert.Equal(many[0].ToFloatArray(), session.GetOutput<float>(0).ToArray());
    }

    [Fact]
    public void A_destination_is_checked_against_the_actual_size_after_the_run()
    {
        var model = Detector.Value;
        var inputs = new[] { InputBinding.From(Image), InputBinding.From(new float[] { 1f }, 1), InputBinding.From(new float[] { 0f }, 1) };
        var boxes = new float[64];
        var binding = OutputBinding.Into(boxes);
        model.Run(inputs, [binding, null, null]);
        Assert.Equal([10, 4], binding.Shape);
        Assert.Equal(40, binding.ElementCount);
        var expected = model.Run(Image, TensorData.Float([1], 1f), TensorData.Float([1], 0f))[0].ToFloatArray();
        Assert.Equal(expected, boxes.AsSpan(0, 40).ToArray());

        var tooShort = OutputBinding.Into(new float[39]);
        var error = Assert.Throws<InferenceInputException>(() => model.Run(inputs, [tooShort, null, null]));
        Assert.StartsWith("ATC4301", error.Message);
        Assert.Contains("[10,4]", error.Message);
        Assert.Contains("40", error.Message);
    }

    [Fact]
    public void A_computed_shape_the_data_makes_invalid_is_a_coded_error_not_a_crash()
    {
        // x [4, 6] reshaped to [k, -1] with k = 1 + floor(2·max(x)): a max of 2.6 gives k = 6, which 24 elements take;
        // a max of 2.1 gives k = 5, which they do not.
        var graph = ModelPipeline.ImportOnnx(DataDependentModels.All["reshape_from_computed"](), "reshape.onnx");
        var model = ModelPipeline.Compile(graph, ModelPipeline.StaticGear(graph, [[4, 6]]));
        var values = new float[24];
        values[3] = 2.6f;
        Assert.Equal([6, 4], model.Run(TensorData.Float([4, 6], values))[0].Dims);
        values[3] = 2.1f;
        var error = Assert.Throws<InferenceInputException>(() => model.Run(TensorData.Float([4, 6], values)));
        Assert.StartsWith("ATC4300", error.Message);
        Assert.Contains("Reshape", error.Message);
    }

    [Fact]
    public void The_om_round_trip_keeps_the_dynamic_placements()
    {
        var graph = ModelPipeline.ImportOnnx(DataDependentModels.All["nonzero"](), "nonzero.onnx");
        Atc.Compiler.Passes.PassPipeline.Run(graph);
        byte[] om = Atc.Compiler.Emit.OmEmitter.Emit(graph, ModelPipeline.StaticGear(graph, [[3, 4]]),
            new Atc.Compiler.Emit.EmitOptions("nonzero", "Ascend310", "onnx"));
        var model = InferenceModel.Load(om);
        Assert.True(model.Signature.Outputs[0].IsDataDependent);
        Assert.Equal([2L, -1], model.Signature.Outputs[0].Dims);   // the rank of NonZero's result is exact
        var output = model.Run(TensorData.Float([3, 4], 0, 1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 3))[0];
        Assert.Equal([2, 3], output.Dims);
        Assert.Equal([0L, 1, 2, 1, 2, 3], output.ToInt64Array());
    }
}
