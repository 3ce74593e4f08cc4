namespace Atc.Runtime;

/// <summary>
/// The runtime's own codes (ATC2100-ATC2199) and their texts. The runtime has no dependency on Atc.Options, so the
/// texts repeat the catalog's (src/Atc.Options/Errors/AtcErrorCatalog.cs); a test keeps the two in step.
/// </summary>
internal static class RuntimeErrors
{
    public const string ConcurrentUseCode = "ATC2100";
    public const string ThreadCountCappedCode = "ATC2101";
    public const string InvalidThreadCountCode = "ATC2102";

    public const string AippParameterInvalidCode = "ATC3200";
    public const string AippImageTooLargeCode = "ATC3201";
    public const string AippInputUnknownCode = "ATC3202";

    public static string AippParameterInvalid(string field, string value, string input, string reason, string fix)
        => $"{AippParameterInvalidCode}: Dynamic AIPP parameter [{field}] = [{value}] for input [{input}] is invalid: {reason}. {fix}";

    public static string AippImageTooLarge(string format, int width, int height, string input, long bytes, long max)
        => $"{AippImageTooLargeCode}: The {format} source image of (w x h) {width} x {height} for input [{input}] needs {bytes} bytes, more than its max_src_image_size [{max}]. "
            + $"Send an image of at most {max} bytes (crop or scale it first), or recompile with max_src_image_size: {bytes} or more.";

    public static string AippInputUnknown(string input, string model, string known)
        => $"{AippInputUnknownCode}: Input [{input}] of model [{model}] has no dynamic AIPP; the inputs with dynamic AIPP are [{known}]. "
            + "Pass the name of the image input compiled with aipp_mode: dynamic.";

    public static InvalidOperationException ConcurrentUse(string modelName, string member)
        => new($"{ConcurrentUseCode}: InferenceSession of model [{modelName}] was entered by {member} while another thread was still inside it. "
            + "Create one session per thread "
            + "(InferenceModel.CreateSession), or call InferenceModel.Run, which is safe from any number of threads.");

    public static string ThreadCountCapped(int requested, int cap, int perProcessor, int processors)
        => $"{ThreadCountCappedCode}: SessionOptions.ThreadCount [{requested}] exceeds the cap of [{cap}] threads ({perProcessor} per processor "
            + $"on {processors} processors); the session uses {cap}. Set ThreadCount to 0 (one per processor) or to at most {cap}.";

    public static ArgumentOutOfRangeException InvalidThreadCount(int requested, int cap)
        => new("ThreadCount", requested, $"{InvalidThreadCountCode}: SessionOptions.ThreadCount [{requested}] is invalid: it must be 0 "
            + $"(one per processor) or between 1 and [{cap}]. Set ThreadCount to 0, or to a number of threads between 1 and {cap}.");

    public const string DataDependentShapeInvalidCode = "ATC4300";
    public const string DataDependentOutputTooLargeCode = "ATC4301";

    public static InferenceInputException DataDependentShapeInvalid(string node, string opType, string shapes, string detail)
        => new($"{DataDependentShapeInvalidCode}: Node [{node}] ({opType}) cannot run on the shapes its inputs have in this run ({shapes}): {detail} "
            + "Check the input data that leads to this node, or bound the computed value in the model (e.g. Clip or Min before the shape input).");

    public static InferenceInputException DataDependentOutputTooLarge(int index, string name, string shape, long needed, long capacity)
        => new($"{DataDependentOutputTooLargeCode}: Output {index} ([{name}]) has shape {shape} in this run and needs {needed} elements; "
            + $"the destination holds {capacity}. Pass a destination of at least {needed} elements, or run without a destination "
            + "for this output and read InferenceSession.GetOutput.", "outputs");

    public const string ControlFlowBodyShapeInvalidCode = "ATC4000";
    public const string ControlFlowShapeChangedCode = "ATC4001";
    public const string LoopIterationLimitCode = "ATC4002";

    /// <summary>The text of a <see cref="Core.ShapeException"/> for a body that does not fit its node (the planner names the node).</summary>
    public static string ControlFlowBodyShapeInvalid(string detail)
        => $"{ControlFlowBodyShapeInvalidCode}: {detail}. Make the branches produce the same shapes, or keep the carried value's shape fixed in the body.";

    public static InferenceInputException ControlFlowShapeChanged(string body, int output, string planned, string actual)
        => new($"{ControlFlowShapeChangedCode}: Body [{body}] output {output} was planned as {planned} but has {actual} in this run. "
            + "Keep the body's outputs at a fixed shape (e.g. Slice with constant sizes), or move the data-dependent part out of the loop.");

    public static InferenceInputException LoopIterationLimit(string node, long iterations)
        => new($"{LoopIterationLimitCode}: Loop [{node}] has no trip count and ran {iterations} iterations without its condition turning false. "
            + "Give the Loop a trip count (input M), or check the input data that drives its condition.");
}
