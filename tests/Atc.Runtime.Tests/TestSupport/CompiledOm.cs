namespace Atc.Tests.TestSupport;

/// <summary>.om bytes of an ONNX model compiled as atc does (batch gears, full pass pipeline, prepacked weights).</summary>
internal static class CompiledOm
{
    public static byte[] FromOnnx(byte[] onnx, string name, params int[] batches)
    {
        var graph = ModelPipeline.ImportOnnx(onnx, name + ".onnx");
        var gears = ModelPipeline.BatchGears(graph, batches);
        Atc.Compiler.Passes.PassPipeline.Run(graph);
        return Atc.Compiler.Emit.OmEmitter.Emit(graph, gears, new Atc.Compiler.Emit.EmitOptions(name, "Ascend310", "onnx"));
    }
}
