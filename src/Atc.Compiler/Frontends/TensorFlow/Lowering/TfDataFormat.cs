namespace Atc.Compiler.Frontends.TensorFlow.Lowering;

/// <summary>A 2-D spatial op's data_format: which entries of its 4-element strides/ksize/dilations are H and W.</summary>
internal readonly record struct TfDataFormat(string Layout, int HeightAxis, int WidthAxis)
{
    public static TfDataFormat Of(TfNode node)
    {
        string format = node.GetString("data_format", "NHWC");
        return format switch
        {
            "NHWC" => new TfDataFormat("NHWC", 1, 2),
            "NCHW" => new TfDataFormat("NCHW", 2, 3),
            _ => throw new TfUnsupportedException(node.Op + " (data_format " + format + ")"),
        };
    }

    /// <summary>The H and W entries of a 4-element per-axis attribute (strides, ksize, dilations).</summary>
    public long[] Spatial(TfNode node, string attribute, long[] values)
    {
        if (values.Length != 4)
            throw new Atc.Options.AtcException(Atc.Options.Errors.AtcErrors.InvalidModel(
                "attribute [" + attribute + "] of node [" + node.Name + "] has " + values.Length + " values, expected 4"));
        return [values[HeightAxis], values[WidthAxis]];
    }
}
