using Atc.Compiler.Ir;

namespace Atc.Compiler.Frontends.TensorFlow;

/// <summary>
/// The layout of each graph input: the data_format of the first convolution, pooling or batch norm that reads it
/// (directly or through layout-preserving ops such as Identity and Pad); ND when none does.
/// </summary>
internal static class TfInputFormats
{
    private static readonly HashSet<string> Spatial = new(StringComparer.Ordinal)
    {
        "Conv2D", "DepthwiseConv2dNative", "MaxPool", "AvgPool", "FusedBatchNorm", "FusedBatchNormV2", "FusedBatchNormV3",
    };

    private static readonly HashSet<string> LayoutPreserving = new(StringComparer.Ordinal)
    {
        "Identity", "StopGradient", "Snapshot", "Pad", "PadV2", "MirrorPad", "Cast", "PlaceholderWithDefault",
    };

    public static void Assign(TfNodeGraph tf, Graph graph)
    {
        foreach (var input in graph.Inputs)
            graph.InputFormats[input.Name] = Detect(tf, input.Name);
    }

    private static TensorFormat Detect(TfNodeGraph tf, string placeholder)
    {
        var queue = new Queue<string>([placeholder]);
        var seen = new HashSet<string>(StringComparer.Ordinal) { placeholder };
        while (queue.Count > 0)
        {
            string producer = queue.Dequeue();
            foreach (var consumer in tf.ConsumersOf(producer))
            {
                // Only the data operand (input 0) carries the layout; a placeholder used as a filter does not.
                if (consumer.DataInputs.Count == 0 || consumer.DataInputs[0].Node != producer) continue;
                if (Spatial.Contains(consumer.Op))
                    return consumer.GetString("data_format", "NHWC") == "NCHW" ? TensorFormat.NCHW : TensorFormat.NHWC;
                if (LayoutPreserving.Contains(consumer.Op) && seen.Add(consumer.Name)) queue.Enqueue(consumer.Name);
            }
        }
        return TensorFormat.ND;
    }
}
