namespace Atc.Fuzz;

/// <summary>The inputs the fuzzers mutate; each has its own target (entry point, seeds and mutations).</summary>
public enum FuzzFormat
{
    /// <summary>TensorFlow frozen GraphDef, compiled with --framework=3.</summary>
    Pb,
    /// <summary>ONNX ModelProto, compiled with --framework=5.</summary>
    Onnx,
    /// <summary>An offline model loaded by the runtime and run once on gear 0.</summary>
    Om,
    /// <summary>ATC option text (--input_shape, --dynamic_*, --out_nodes, ...) against small valid models.</summary>
    Options,
    /// <summary>AIPP configuration text (--insert_op_conf) compiled into the tiny CNN, then run once.</summary>
    Aipp,
    /// <summary>Caffe .caffemodel, compiled with --framework=0 and a .prototxt written from its layers.</summary>
    Caffe,
    /// <summary>ATC's single-op JSON (--singleop), every op compiled with --mode=3.</summary>
    SingleOp,
}

public static class FuzzFormats
{
    public static IReadOnlyList<FuzzFormat> All { get; } = Enum.GetValues<FuzzFormat>();

    public static string Name(this FuzzFormat format) => format.ToString().ToLowerInvariant();

    public static FuzzFormat? Parse(string text)
        => All.Cast<FuzzFormat?>().FirstOrDefault(f => string.Equals(f!.Value.Name(), text, StringComparison.OrdinalIgnoreCase));
}
